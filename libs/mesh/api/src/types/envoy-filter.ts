import type { LabelsSelector, Resource } from './meta';
import type { PolicyTargetReference } from './security';

/**
 * networking.istio.io EnvoyFilter (istio/api networking/v1alpha3/envoy_filter.proto): patches applied
 * to the generated Envoy config of the workloads it selects. Field names as Istio's YAML writes them;
 * `patch.value` is Envoy's own message as proto JSON (snake_case or lowerCamelCase keys).
 */
export const ENVOY_FILTER_APPLY_TO = [
  'INVALID', 'LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER', 'ROUTE_CONFIGURATION',
  'VIRTUAL_HOST', 'HTTP_ROUTE', 'CLUSTER', 'EXTENSION_CONFIG', 'BOOTSTRAP', 'LISTENER_FILTER',
] as const;
export const ENVOY_FILTER_CONTEXTS = ['ANY', 'SIDECAR_INBOUND', 'SIDECAR_OUTBOUND', 'GATEWAY'] as const;
export const ENVOY_FILTER_OPERATIONS = ['INVALID', 'MERGE', 'ADD', 'REMOVE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE'] as const;
export const ENVOY_FILTER_ROUTE_ACTIONS = ['ANY', 'ROUTE', 'REDIRECT', 'DIRECT_RESPONSE'] as const;

export type EnvoyFilterApplyTo = (typeof ENVOY_FILTER_APPLY_TO)[number];
export type EnvoyFilterPatchContext = (typeof ENVOY_FILTER_CONTEXTS)[number];
export type EnvoyFilterOperation = (typeof ENVOY_FILTER_OPERATIONS)[number];

export interface EnvoyFilterListenerMatch {
  portNumber?: number;
  portName?: string;
  name?: string;
  listenerFilter?: string;
  filterChain?: {
    name?: string;
    sni?: string;
    transportProtocol?: string;
    applicationProtocols?: string;
    destinationPort?: number;
    filter?: { name?: string; subFilter?: { name?: string } };
  };
}

export interface EnvoyFilterRouteConfigurationMatch {
  portNumber?: number;
  portName?: string;
  gateway?: string;
  name?: string;
  vhost?: { name?: string; domainName?: string; route?: { name?: string; action?: (typeof ENVOY_FILTER_ROUTE_ACTIONS)[number] } };
}

export interface EnvoyFilterClusterMatch {
  portNumber?: number;
  service?: string;
  subset?: string;
  name?: string;
}

export interface EnvoyFilterObjectMatch {
  context?: EnvoyFilterPatchContext;
  proxy?: { proxyVersion?: string; metadata?: Record<string, string> };
  listener?: EnvoyFilterListenerMatch;
  routeConfiguration?: EnvoyFilterRouteConfigurationMatch;
  cluster?: EnvoyFilterClusterMatch;
}

export interface EnvoyFilterConfigPatch {
  applyTo?: EnvoyFilterApplyTo;
  match?: EnvoyFilterObjectMatch;
  patch?: { operation?: EnvoyFilterOperation; value?: Record<string, unknown>; filterClass?: string };
}

export interface EnvoyFilterSpec {
  /** Note: `labels`, not `matchLabels` (networking.v1alpha3's own WorkloadSelector). */
  workloadSelector?: LabelsSelector;
  targetRefs?: PolicyTargetReference[];
  configPatches?: EnvoyFilterConfigPatch[];
  priority?: number;
}

export type EnvoyFilter = Resource<'EnvoyFilter', EnvoyFilterSpec>;

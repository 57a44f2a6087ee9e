import type { DurationString, Resource, WorkloadSelector } from './meta';
import type { PolicyTargetReference } from './security';

/**
 * Istio's Telemetry API (`telemetry.istio.io/v1`, also served as v1alpha1): which providers log,
 * trace and report metrics for a mesh (root namespace, no selector), a namespace or a workload.
 * Field names as Istio's YAML (istio.io/api telemetry/v1alpha1/telemetry.proto).
 */

/** A provider by name: an `extensionProviders` entry of MeshConfig, or a built-in (`envoy`, `prometheus`). */
export interface ProviderRef {
  name: string;
}

export type WorkloadMode = 'CLIENT' | 'SERVER' | 'CLIENT_AND_SERVER';

export interface AccessLogging {
  providers?: ProviderRef[];
  match?: { mode?: WorkloadMode };
  disabled?: boolean;
  /** CEL over Envoy's attributes, e.g. `response.code >= 400`. */
  filter?: { expression?: string };
}

export interface TracingCustomTag {
  literal?: { value: string };
  environment?: { name: string; defaultValue?: string };
  header?: { name: string; defaultValue?: string };
}

export interface Tracing {
  providers?: ProviderRef[];
  match?: { mode?: WorkloadMode };
  randomSamplingPercentage?: number;
  disableSpanReporting?: boolean;
  customTags?: Record<string, TracingCustomTag>;
  useRequestIdForTraceSampling?: boolean;
}

export const ISTIO_METRICS = [
  'ALL_METRICS',
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
] as const;
export type IstioMetric = (typeof ISTIO_METRICS)[number];

export interface MetricSelector {
  metric?: IstioMetric;
  customMetric?: string;
  mode?: WorkloadMode;
}

export interface TagOverride {
  operation?: 'UPSERT' | 'REMOVE';
  value?: string;
}

export interface MetricsOverrides {
  match?: MetricSelector;
  disabled?: boolean;
  tagOverrides?: Record<string, TagOverride>;
}

export interface Metrics {
  providers?: ProviderRef[];
  overrides?: MetricsOverrides[];
  reportingInterval?: DurationString;
}

export interface TelemetrySpec {
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  tracing?: Tracing[];
  metrics?: Metrics[];
  accessLogging?: AccessLogging[];
}

export type Telemetry = Resource<'Telemetry', TelemetrySpec>;

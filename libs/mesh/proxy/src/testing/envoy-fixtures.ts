/**
 * Hand-built Envoy v3 resources in the shape of docs/xds-resources.md (what the translator emits),
 * small enough to read in a test.
 */
import type {
  Cluster,
  ClusterLoadAssignment,
  Listener,
  Route,
  RouteAction,
  RouteConfiguration,
  RouteMatch,
  TypedConfig,
  VirtualHost,
} from '../config/envoy-types';
import { FAULT_TYPE, HCM_TYPE, PREVIOUS_HOSTS_TYPE, ROUTER_TYPE, TCP_PROXY_TYPE } from '@trellis/mesh-envoy';

export const ISTIO_RETRY = {
  retry_on: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
  num_retries: { value: 2 },
  retriable_status_codes: [503],
  retry_host_predicate: [
    {
      name: 'envoy.retry_host_predicates.previous_hosts',
      typed_config: { '@type': PREVIOUS_HOSTS_TYPE },
    },
  ],
  host_selection_retry_max_attempts: 5,
};

export function svc(name: string, subset = '', port = 9080): string {
  return `outbound|${port}|${subset}|${name}.default.svc.cluster.local`;
}

export function edsCluster(name: string, extra: Partial<Cluster> = {}): Cluster {
  return {
    name,
    type: 'EDS',
    eds_cluster_config: { service_name: name },
    connect_timeout: { seconds: 1, nanos: 0 },
    lb_policy: 'ROUND_ROBIN',
    ...extra,
  };
}

export interface Ep {
  readonly port: number;
  readonly host?: string;
  readonly health?: string;
}

export function assignment(clusterName: string, eps: readonly Ep[]): ClusterLoadAssignment {
  return {
    cluster_name: clusterName,
    endpoints: [
      {
        locality: {},
        lb_endpoints: eps.map((e) => ({
          endpoint: { address: { socket_address: { address: e.host ?? '127.0.0.1', port_value: e.port } } },
          health_status: e.health ?? 'HEALTHY',
        })),
      },
    ],
  };
}

export function route(match: RouteMatch, action: RouteAction | Partial<Route>, extra: Partial<Route> = {}): Route {
  const isAction = 'cluster' in action || 'weighted_clusters' in action;
  return { name: extra.name ?? 'r', match, ...(isAction ? { route: { timeout: { seconds: 0 }, ...action } } : action), ...extra };
}

export function vhost(name: string, domains: string[], routes: Route[], extra: Partial<VirtualHost> = {}): VirtualHost {
  return { name, domains, routes, ...extra };
}

export function routeConfig(name: string, vhosts: VirtualHost[]): RouteConfiguration {
  return { name, virtual_hosts: vhosts, validate_clusters: { value: false } };
}

/** A listener with one HCM (rds by name, or an inline route config). */
export function httpListener(
  name: string,
  port: number,
  routes: string | RouteConfiguration,
  extra: Partial<Listener> = {},
): Listener {
  return {
    name,
    address: { socket_address: { address: '0.0.0.0', port_value: port } },
    traffic_direction: 'OUTBOUND',
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM_TYPE,
              stat_prefix: name,
              ...(typeof routes === 'string'
                ? { rds: { route_config_name: routes, config_source: { ads: {}, resource_api_version: 'V3' } } }
                : { route_config: routes }),
              http_filters: [
                { name: 'envoy.filters.http.fault', typed_config: { '@type': FAULT_TYPE } },
                { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } },
              ],
              generate_request_id: { value: true },
              max_request_headers_kb: { value: 60 },
            },
          },
        ],
      },
    ],
    ...extra,
  };
}

/** Istio's capture listener: use_original_dst, passthrough chain to an ORIGINAL_DST cluster. */
export function virtualOutbound(port = 15001): Listener {
  return {
    name: 'virtualOutbound',
    address: { socket_address: { address: '0.0.0.0', port_value: port } },
    use_original_dst: { value: true },
    traffic_direction: 'OUTBOUND',
    filter_chains: [
      {
        name: 'virtualOutbound-catchall-tcp',
        filters: [
          {
            name: 'envoy.filters.network.tcp_proxy',
            typed_config: {
              '@type': TCP_PROXY_TYPE,
              stat_prefix: 'PassthroughCluster',
              cluster: 'PassthroughCluster',
            },
          },
        ],
      },
    ],
  };
}

export function faultConfig(fault: { delayMs?: number; abortStatus?: number; percent?: number }): Record<string, TypedConfig> {
  const percentage = { numerator: fault.percent ?? 100, denominator: 'HUNDRED' };
  return {
    'envoy.filters.http.fault': {
      '@type': FAULT_TYPE,
      ...(fault.delayMs !== undefined
        ? { delay: { fixed_delay: { seconds: 0, nanos: fault.delayMs * 1e6 }, percentage } }
        : {}),
      ...(fault.abortStatus !== undefined ? { abort: { http_status: fault.abortStatus, percentage } } : {}),
    },
  };
}

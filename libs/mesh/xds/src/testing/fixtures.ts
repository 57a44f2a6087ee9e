import { HCM_TYPE, ROUTER_TYPE } from '@trellis/mesh-envoy';
import type { XdsResource, XdsResources } from '../resources';

/** Small Envoy-flavour resources for protocol tests. */
export function edsCluster(name: string): XdsResource {
  return { name, type: 'EDS', lb_policy: 'ROUND_ROBIN', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: name } };
}

export function assignment(cluster: string, ...addresses: [string, number][]): XdsResource {
  return {
    cluster_name: cluster,
    endpoints: [
      {
        locality: {},
        load_balancing_weight: { value: 1 },
        lb_endpoints: addresses.map(([address, port_value]) => ({
          endpoint: { address: { socket_address: { address, port_value } } },
          health_status: 'HEALTHY',
        })),
      },
    ],
  };
}

export function rdsListener(name: string, port: number, routeName: string): XdsResource {
  return {
    name,
    address: { socket_address: { address: '0.0.0.0', port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM_TYPE,
              stat_prefix: name,
              rds: { route_config_name: routeName, config_source: { ads: {}, resource_api_version: 'V3' } },
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
            },
          },
        ],
      },
    ],
  };
}

export function routeConfig(name: string, cluster: string): XdsResource {
  return {
    name,
    virtual_hosts: [{ name: `${name}-vh`, domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster } }] }],
  };
}

/** One cluster `c1` with endpoints, listener `l1` using RDS route `r1`. */
export function basicResources(endpointPort = 9080): XdsResources {
  return {
    clusters: [edsCluster('c1')],
    endpoints: [assignment('c1', ['10.0.0.1', endpointPort])],
    listeners: [rdsListener('l1', 9080, 'r1')],
    routes: [routeConfig('r1', 'c1')],
  };
}

export const SIDECAR_NODE = {
  id: 'sidecar~10.1.2.3~reviews-v1-abc-def.default~default.svc.cluster.local',
  cluster: 'reviews.default',
  metadata: { NAMESPACE: 'default', LABELS: { app: 'reviews', version: 'v1' }, INTERCEPTION_MODE: 'NONE' },
};

import type { Listener, RouteConfiguration } from '@trellis/mesh-envoy';
import { HCM_TYPE, NETWORK_RBAC_TYPE, RBAC_PER_ROUTE_TYPE, RBAC_TYPE, ROUTER_TYPE, TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import { findRbacFilters, findRouteRbac } from './find';

const rules = { action: 'DENY' as const, policies: {} };

describe('findRbacFilters / findRouteRbac', () => {
  it('finds HTTP RBAC in an HCM and network RBAC before tcp_proxy, naming listener and chain', () => {
    const listener: Listener = {
      name: 'virtualInbound',
      filter_chains: [
        {
          name: 'inbound|9080||',
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typed_config: {
                '@type': HCM_TYPE,
                http_filters: [
                  { name: 'envoy.filters.http.rbac', typed_config: { '@type': RBAC_TYPE, rules } },
                  { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } },
                ],
              },
            },
          ],
        },
        {
          filters: [
            { name: 'envoy.filters.network.rbac', typed_config: { '@type': NETWORK_RBAC_TYPE, stat_prefix: 'tcp.', rules } },
            { name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE } },
          ],
        },
      ],
    };
    expect(findRbacFilters([listener]).map((f) => [f.listener, f.chain, f.kind, f.filter, f.config.rules?.action])).toEqual([
      ['virtualInbound', 'inbound|9080||', 'http', 'envoy.filters.http.rbac', 'DENY'],
      ['virtualInbound', '1', 'network', 'envoy.filters.network.rbac', 'DENY'],
    ]);
    expect(findRbacFilters([{ name: 'plain', filter_chains: [{ filters: [] }] }])).toEqual([]);
  });

  it('finds RBACPerRoute overrides, an empty one meaning disabled', () => {
    const rc: RouteConfiguration = {
      name: '9080',
      virtual_hosts: [
        {
          name: 'reviews:9080',
          typed_per_filter_config: { 'envoy.filters.http.rbac': { '@type': RBAC_PER_ROUTE_TYPE } },
          routes: [{ name: 'r1', typed_per_filter_config: { 'envoy.filters.http.rbac': { '@type': RBAC_PER_ROUTE_TYPE, rbac: { rules } } } }, { name: 'r2' }],
        },
      ],
    };
    expect(findRouteRbac([rc])).toEqual([
      { routeConfig: '9080', virtualHost: 'reviews:9080', route: undefined, rbac: undefined },
      { routeConfig: '9080', virtualHost: 'reviews:9080', route: 'r1', rbac: { rules } },
    ]);
  });
});

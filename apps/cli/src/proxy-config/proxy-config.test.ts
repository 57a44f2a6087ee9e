import { clusterRows, filterClusters, parseClusterName } from './clusters';
import { renderConfigPath, type DumpCluster } from './envoy-access';
import { endpointRows } from './endpoints';
import { listenerRows } from './listeners';
import { describeDomains, routeRows } from './routes';

const HCM = 'envoy.filters.network.http_connection_manager';

describe('cluster names', () => {
  it.each([
    ['outbound|9080|v1|reviews.default.svc.cluster.local', { direction: 'outbound', port: '9080', subset: 'v1', fqdn: 'reviews.default.svc.cluster.local' }],
    ['outbound|9080||reviews.default.svc.cluster.local', { direction: 'outbound', port: '9080', subset: '-', fqdn: 'reviews.default.svc.cluster.local' }],
    ['inbound|9080||', { direction: 'inbound', port: '9080', subset: '-', fqdn: '' }],
    ['PassthroughCluster', { direction: '-', port: '-', subset: '-', fqdn: 'PassthroughCluster' }],
  ])('%s', (name, parsed) => {
    expect(parseClusterName(name)).toEqual(parsed);
  });

  it('filters and sorts like istioctl', () => {
    const clusters: DumpCluster[] = [{ name: 'outbound|9080|v2|reviews.default.svc.cluster.local', type: 'EDS' }, { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', type: 'EDS' }, { name: 'outbound|9080||details.default.svc.cluster.local', type: 'EDS' }];
    expect(clusterRows(filterClusters(clusters, { fqdn: 'reviews' })).map((r) => r[2])).toEqual(['v1', 'v2']);
    expect(filterClusters(clusters, { subset: 'v2', port: '9080' })).toHaveLength(1);
  });

  it('renders Istio config paths as name.namespace', () => {
    expect(renderConfigPath('/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews')).toBe('reviews.default');
    expect(renderConfigPath('weird')).toBe('<unknown>');
  });
});

describe('listeners', () => {
  it('describes RDS, inline routes and the passthrough capture listener', () => {
    const rows = listenerRows([
      { name: 'virtualOutbound', address: { socket_address: { address: '0.0.0.0', port_value: 15001 } }, use_original_dst: { value: true } },
      { name: '0.0.0.0_9080', address: { socket_address: { address: '0.0.0.0', port_value: 9080 } }, filter_chains: [{ filters: [{ name: HCM, typed_config: { rds: { route_config_name: '9080' } } }] }] },
      {
        name: 'health',
        address: { socket_address: { address: '0.0.0.0', port_value: 15021 } },
        filter_chains: [{ filters: [{ name: HCM, typed_config: { route_config: { virtual_hosts: [{ routes: [{ match: { prefix: '/' } }] }] } } }] }],
      },
    ]);
    expect(rows).toEqual([
      ['0.0.0.0', '9080', 'ALL', 'Route: 9080'],
      ['0.0.0.0', '15001', 'ALL', 'PassthroughCluster'],
      ['0.0.0.0', '15021', 'ALL', 'Inline Route: /*'],
    ]);
  });
});

describe('routes', () => {
  const domains = ['reviews.default.svc.cluster.local', 'reviews.default.svc.cluster.local:9080', 'reviews', 'reviews:9080', 'reviews.default.svc', 'reviews.default.svc:9080', 'reviews.default', 'reviews.default:9080', '10.96.0.5', '10.96.0.5:9080'];

  it('condenses domains like istioctl', () => {
    expect(describeDomains(domains, 'reviews.default.svc.cluster.local:9080')).toBe('reviews, reviews.default + 1 more...');
    expect(describeDomains(['*'], 'x')).toBe('*');
  });

  it('prints one row per route with match and VirtualService', () => {
    const rows = routeRows([
      {
        name: '9080',
        virtual_hosts: [
          {
            name: 'reviews.default.svc.cluster.local:9080',
            domains,
            routes: [{ match: { prefix: '/' }, route: { cluster: 'outbound|9080|v1|reviews.default.svc.cluster.local' }, metadata: { filter_metadata: { istio: { config: '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews' } } } }],
          },
          { name: 'allow_any', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'PassthroughCluster' } }] },
        ],
      },
    ]);
    expect(rows).toEqual([['9080', 'reviews.default.svc.cluster.local:9080', 'reviews, reviews.default + 1 more...', '/*', 'reviews.default']]);
  });
});

describe('endpoints', () => {
  it('lists lb endpoints with health', () => {
    const rows = endpointRows([
      { cluster_name: 'outbound|9080|v1|reviews.default.svc.cluster.local', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 9080 } } }, health_status: 'HEALTHY' }] }] },
    ]);
    expect(rows).toEqual([['10.0.0.1:9080', 'HEALTHY', 'OK', 'outbound|9080|v1|reviews.default.svc.cluster.local']]);
  });
});

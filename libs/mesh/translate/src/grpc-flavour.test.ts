import type { ProxyInfo } from '@trellis/mesh-api';
import { grpcListenerNames, simulate, translate, translateGrpc } from './index';
import { bookinfoSnapshot, cluster, destinationRuleAll, reviews80_20, reviewsTestV2, sidecarProxy, virtualServiceAllV1 } from './testing/bookinfo';

const client: ProxyInfo = { ...sidecarProxy('productpage-v1'), generator: 'grpc' };
const snap = bookinfoSnapshot({ destinationRules: destinationRuleAll, virtualServices: [...virtualServiceAllV1.filter((v) => v.metadata.name !== 'reviews'), reviewsTestV2] });

describe('proxyless gRPC flavour', () => {
  it('lists the names a client may dial', () => {
    const names = grpcListenerNames(snap, client);
    expect(names).toEqual(expect.arrayContaining(['reviews.default.svc.cluster.local:9080', 'reviews:9080', 'reviews.default:9080', 'reviews']));
  });

  it('builds ApiListeners for the requested names only, with inline routes and the router filter', () => {
    const r = translateGrpc(snap, client, ['reviews.default.svc.cluster.local:9080', 'nope:1']);
    expect(r.listeners).toHaveLength(1);
    const l = r.listeners[0]!;
    expect(l.name).toBe('reviews.default.svc.cluster.local:9080');
    expect(l.address).toBeUndefined();
    expect(l.use_original_dst).toBeUndefined();
    const hcm = l.api_listener!.api_listener!;
    expect(hcm['@type']).toBe('type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager');
    expect(hcm.http_filters!.map((f) => f.name)).toEqual(['envoy.filters.http.router']);
    const vh = hcm.route_config!.virtual_hosts![0]!;
    expect(vh.domains).toContain('reviews.default.svc.cluster.local:9080');
    expect(vh.routes![0]).toMatchObject({ match: { prefix: '/', headers: [{ name: 'end-user', string_match: { exact: 'jason' } }] }, route: { cluster: cluster('reviews', 'v2'), retry_policy: { retry_on: 'unavailable,cancelled', num_retries: { value: 2 } } } });
    expect(vh.routes![0]?.route?.timeout).toBeUndefined();
    expect(simulate(r, { host: 'reviews.default.svc.cluster.local', port: 9080, path: '/reviews.Reviews/Get', headers: { 'end-user': 'jason' } }).cluster).toBe(cluster('reviews', 'v2'));
  });

  it('EDS clusters with ROUND_ROBIN; CLAs with locality and explicit weights; weighted routes carry total_weight', () => {
    const r = translate(bookinfoSnapshot({ destinationRules: destinationRuleAll, virtualServices: [reviews80_20] }), client);
    expect(r.clusters.every((c) => c.type === 'EDS' && c.lb_policy === 'ROUND_ROBIN' && c.eds_cluster_config?.eds_config?.ads)).toBe(true);
    const cla = r.endpoints.find((e) => e.cluster_name === cluster('reviews', 'v1'))!;
    expect(cla.endpoints![0]).toMatchObject({ locality: { region: '', zone: '', sub_zone: '' }, load_balancing_weight: { value: 1 } });
    expect(cla.endpoints![0]?.lb_endpoints?.[0]).toMatchObject({ health_status: 'HEALTHY', load_balancing_weight: { value: 1 } });
    const l = r.listeners.find((x) => x.name === 'reviews:9080')!;
    expect(l.api_listener?.api_listener?.route_config?.virtual_hosts?.[0]?.routes?.[0]?.route?.weighted_clusters?.total_weight).toEqual({ value: 100 });
    expect(r.routes).toEqual([]);
  });

  it('drops redirect/direct_response routes and turns timeouts into max_stream_duration; fault filter only when used', () => {
    const vs = {
      ...reviewsTestV2,
      spec: { hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/x' } }], directResponse: { status: 503 } }, { route: [{ destination: { host: 'reviews' } }], timeout: '5s', fault: { abort: { httpStatus: 503 } } }] },
    };
    const r = translateGrpc(bookinfoSnapshot({ virtualServices: [vs] }), client, ['reviews:9080']);
    const hcm = r.listeners[0]!.api_listener!.api_listener!;
    const routes = hcm.route_config!.virtual_hosts![0]!.routes!;
    expect(routes).toHaveLength(1);
    expect(routes[0]?.route?.max_stream_duration).toEqual({ max_stream_duration: { seconds: 5, nanos: 0 } });
    expect(hcm.http_filters!.map((f) => f.name)).toEqual(['envoy.filters.http.fault', 'envoy.filters.http.router']);
  });
});

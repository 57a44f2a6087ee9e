import type { DestinationRule, ServiceEntry } from '@trellis/mesh-api';
import { translate, type Cluster, type XdsResources } from './index';
import { bookinfoSnapshot, cluster, destinationRuleAll, destinationRuleReviews, NS, PODS, sidecarProxy, WORKLOADS } from './testing/bookinfo';

const proxy = sidecarProxy('productpage-v1');
const find = (r: XdsResources, name: string): Cluster => {
  const c = r.clusters.find((x) => x.name === name);
  if (!c) throw new Error(`no cluster ${name}`);
  return c;
};
const addresses = (r: XdsResources, name: string) =>
  r.endpoints.find((e) => e.cluster_name === name)?.endpoints?.flatMap((l) => l.lb_endpoints!.map((e) => e.endpoint!.address!.socket_address));

function drFor(host: string, trafficPolicy: DestinationRule['spec']['trafficPolicy'], subsets: DestinationRule['spec']['subsets'] = []): DestinationRule {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: host, namespace: NS }, spec: { host, trafficPolicy, subsets } };
}

describe('outbound clusters', () => {
  it('EDS with LEAST_REQUEST, 10s connect timeout, MaxUint32 breakers, Istio metadata', () => {
    const c = find(translate(bookinfoSnapshot(), proxy), cluster('reviews'));
    expect(c).toMatchObject({
      type: 'EDS',
      eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: cluster('reviews') },
      lb_policy: 'LEAST_REQUEST',
      connect_timeout: { seconds: 10, nanos: 0 },
      metadata: { filter_metadata: { istio: { services: [{ host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: NS }] } } },
    });
    expect(c.circuit_breakers?.thresholds?.[0]?.max_connections).toEqual({ value: 4294967295 });
    expect(c.outlier_detection).toBeUndefined();
  });

  it('subset clusters per DestinationRule subset, CLAs filtered by subset labels', () => {
    const r = translate(bookinfoSnapshot({ destinationRules: destinationRuleAll }), proxy);
    expect(r.clusters.map((c) => c.name)).toEqual(expect.arrayContaining([cluster('reviews', 'v1'), cluster('reviews', 'v2'), cluster('reviews', 'v3')]));
    expect(addresses(r, cluster('reviews'))).toHaveLength(3);
    expect(addresses(r, cluster('reviews', 'v2'))).toEqual([{ address: PODS['reviews-v2'], port_value: 9080 }]);
    expect(addresses(r, cluster('ratings', 'v2'))).toEqual([]);
    expect(find(r, cluster('reviews', 'v2')).metadata?.filter_metadata?.istio).toMatchObject({
      subset: 'v2',
      config: '/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews',
    });
  });

  it('CLAs: explicit locality and endpoint weights, port overrides, ready workloads only', () => {
    const workloads = WORKLOADS.map((w) =>
      w.labels['version'] === 'v1' && w.labels['app'] === 'reviews' ? { ...w, address: '127.0.0.5', ports: { '9080': 41001 } } : w.labels['version'] === 'v3' ? { ...w, ready: false } : w,
    );
    const r = translate({ ...bookinfoSnapshot(), workloads }, proxy);
    const cla = r.endpoints.find((e) => e.cluster_name === cluster('reviews'))!;
    expect(cla.endpoints).toEqual([
      {
        locality: { region: '', zone: '', sub_zone: '' },
        load_balancing_weight: { value: 2 },
        lb_endpoints: [
          { endpoint: { address: { socket_address: { address: '10.0.0.15', port_value: 9080 } } }, health_status: 'HEALTHY', load_balancing_weight: { value: 1 } },
          { endpoint: { address: { socket_address: { address: '127.0.0.5', port_value: 41001 } } }, health_status: 'HEALTHY', load_balancing_weight: { value: 1 } },
        ],
      },
    ]);
  });

  it('destination-rule-reviews: RANDOM on all reviews clusters', () => {
    const r = translate(bookinfoSnapshot({ destinationRules: [destinationRuleReviews] }), proxy);
    for (const s of [undefined, 'v1', 'v2', 'v3']) expect(find(r, cluster('reviews', s)).lb_policy).toBe('RANDOM');
    expect(find(r, cluster('ratings')).lb_policy).toBe('LEAST_REQUEST');
  });

  it('circuit breaking sample: connection pool + outlier detection', () => {
    const dr = drFor('reviews', {
      connectionPool: { tcp: { maxConnections: 1, connectTimeout: '250ms' }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1, http2MaxRequests: 7, maxRetries: 3, idleTimeout: '30s' } },
      outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
    });
    const c = find(translate(bookinfoSnapshot({ destinationRules: [dr] }), proxy), cluster('reviews'));
    expect(c.connect_timeout).toEqual({ seconds: 0, nanos: 250000000 });
    expect(c.circuit_breakers).toEqual({
      thresholds: [{ priority: 'DEFAULT', max_connections: { value: 1 }, max_pending_requests: { value: 1 }, max_requests: { value: 7 }, max_retries: { value: 3 } }],
    });
    expect(c.outlier_detection).toEqual({
      enforcing_success_rate: { value: 0 },
      consecutive_5xx: { value: 1 },
      enforcing_consecutive_5xx: { value: 100 },
      enforcing_consecutive_gateway_failure: { value: 0 },
      interval: { seconds: 1, nanos: 0 },
      base_ejection_time: { seconds: 180, nanos: 0 },
      max_ejection_percent: { value: 100 },
    });
    expect(c.typed_extension_protocol_options?.['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      common_http_protocol_options: { idle_timeout: { seconds: 30, nanos: 0 }, max_requests_per_connection: { value: 1 } },
      explicit_http_config: { http_protocol_options: {} },
    });
  });

  it('gateway errors only: enforcing_consecutive_5xx 0', () => {
    const dr = drFor('reviews', { outlierDetection: { consecutiveGatewayErrors: 2 } });
    const od = find(translate(bookinfoSnapshot({ destinationRules: [dr] }), proxy), cluster('reviews')).outlier_detection;
    expect(od).toMatchObject({ consecutive_gateway_failure: { value: 2 }, enforcing_consecutive_gateway_failure: { value: 100 }, enforcing_consecutive_5xx: { value: 0 } });
    expect(od?.consecutive_5xx).toBeUndefined();
  });

  it('subset policy merges over the top-level one; portLevelSettings apply; ISTIO_MUTUAL is tolerated', () => {
    const dr = drFor(
      'reviews',
      { loadBalancer: { simple: 'ROUND_ROBIN' }, connectionPool: { tcp: { maxConnections: 10 } }, tls: { mode: 'ISTIO_MUTUAL' }, portLevelSettings: [{ port: { number: 9080 }, outlierDetection: { consecutive5xxErrors: 5 } }] },
      [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user', minimumRingSize: 1024 } } } }],
    );
    const r = translate(bookinfoSnapshot({ destinationRules: [dr] }), proxy);
    const v1 = find(r, cluster('reviews', 'v1'));
    expect(v1.lb_policy).toBe('RING_HASH');
    expect(v1.ring_hash_lb_config).toEqual({ minimum_ring_size: { value: 1024 } });
    expect(v1.circuit_breakers?.thresholds?.[0]?.max_connections).toEqual({ value: 10 });
    expect(v1.outlier_detection?.consecutive_5xx).toEqual({ value: 5 });
    expect(find(r, cluster('reviews')).lb_policy).toBe('ROUND_ROBIN');
  });

  it('consistentHash on the host puts hash_policy on routes to it', () => {
    const dr = drFor('reviews', { loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '0s' } } } });
    const r = translate(bookinfoSnapshot({ destinationRules: [dr] }), proxy);
    const route = r.routes[0]!.virtual_hosts!.find((v) => v.name!.startsWith('reviews.'))!.routes![0]!;
    expect(route.route?.hash_policy).toEqual([{ cookie: { name: 'user', ttl: { seconds: 0, nanos: 0 } } }]);
  });
});

describe('ServiceEntries', () => {
  const se = (name: string, spec: ServiceEntry['spec']): ServiceEntry => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: NS }, spec });
  it('DNS → STRICT_DNS with the host as endpoint; STATIC → STATIC with listed endpoints', () => {
    const r = translate(
      bookinfoSnapshot({
        serviceEntries: [
          se('googleapis', { hosts: ['www.googleapis.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' }),
          se('db', { hosts: ['db.internal'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'STATIC', endpoints: [{ address: '10.1.1.1' }, { address: '10.1.1.2', ports: { tcp: 6432 } }] }),
        ],
      }),
      proxy,
    );
    const dns = find(r, 'outbound|443||www.googleapis.com');
    expect(dns.type).toBe('STRICT_DNS');
    expect(dns.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address).toEqual({ address: 'www.googleapis.com', port_value: 443 });
    const db = find(r, 'outbound|5432||db.internal');
    expect(db.type).toBe('STATIC');
    expect(db.load_assignment?.endpoints?.[0]?.lb_endpoints?.map((e) => e.endpoint?.address?.socket_address?.port_value)).toEqual([5432, 6432]);
    expect(r.endpoints.find((e) => e.cluster_name?.includes('db.internal'))).toBeUndefined();
    expect(r.routes.map((x) => x.name)).toEqual(['80', '9080']);
    expect(r.listeners.map((l) => l.name)).not.toContain('0.0.0.0_5432');
  });
});

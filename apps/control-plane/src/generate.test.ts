import { emptySnapshot, type MeshSnapshot, type ProxyInfo } from '@trellis/mesh-api';
import { generateFor, resolveProxyId } from './generate';

function proxy(workloadName: string, namespace = 'default', extra: Partial<ProxyInfo> = {}): ProxyInfo {
  return {
    id: `sidecar~10.0.0.1~${workloadName}.${namespace}~${namespace}.svc.cluster.local`,
    type: 'sidecar',
    ipAddress: '10.0.0.1',
    workloadName,
    namespace,
    labels: {},
    interception: 'REDIRECT',
    ...extra,
  };
}

describe('resolveProxyId', () => {
  const productpage = proxy('productpage-v1-6b746f74dc-9stvs');
  const reviewsV1 = proxy('reviews-v1-545db77b95-2ps7q');
  const reviewsV2 = proxy('reviews-v2-7bf8c9648f-l2xg7');
  const reviewsOther = proxy('reviews-v1-abc', 'other');
  const gateway = { ...proxy('istio-ingressgateway-5b4c7dd7f8-x2k9p', 'istio-system'), type: 'router' as const };
  const proxies = [productpage, reviewsV1, reviewsV2, reviewsOther, gateway];

  it('accepts the exact node id', () => {
    expect(resolveProxyId(reviewsV1.id, proxies)).toBe(reviewsV1.id);
  });

  it('accepts name.namespace, as istioctl does', () => {
    expect(resolveProxyId('reviews-v1-545db77b95-2ps7q.default', proxies)).toBe(reviewsV1.id);
    expect(resolveProxyId('reviews-v1-abc.other', proxies)).toBe(reviewsOther.id);
  });

  it('accepts a bare pod name', () => {
    expect(resolveProxyId('productpage-v1-6b746f74dc-9stvs', proxies)).toBe(productpage.id);
  });

  it('accepts a unique prefix of the pod name, optionally with the namespace', () => {
    expect(resolveProxyId('productpage', proxies)).toBe(productpage.id);
    expect(resolveProxyId('productpage-v1', proxies)).toBe(productpage.id);
    expect(resolveProxyId('reviews-v2', proxies)).toBe(reviewsV2.id);
    expect(resolveProxyId('istio-ingressgateway.istio-system', proxies)).toBe(gateway.id);
    // Unique only once the namespace narrows it down.
    expect(resolveProxyId('reviews-v1.other', proxies)).toBe(reviewsOther.id);
    expect(resolveProxyId('reviews-v1.default', proxies)).toBe(reviewsV1.id);
  });

  it('leaves an ambiguous prefix as it is', () => {
    expect(resolveProxyId('reviews', proxies)).toBe('reviews');
    expect(resolveProxyId('reviews-v1', proxies)).toBe('reviews-v1');
    expect(resolveProxyId('reviews.default', proxies)).toBe('reviews.default');
  });

  it('leaves unknown names as they are', () => {
    expect(resolveProxyId('ratings', proxies)).toBe('ratings');
    expect(resolveProxyId('productpage.other', proxies)).toBe('productpage.other');
    expect(resolveProxyId('anything', [])).toBe('anything');
  });

  it('prefers an exact pod name over a longer pod it prefixes', () => {
    const short = proxy('reviews');
    expect(resolveProxyId('reviews', [reviewsV1, short, reviewsV2])).toBe(short.id);
  });
});

describe('generateFor', () => {
  const snapshot: MeshSnapshot = {
    ...emptySnapshot(),
    services: [
      {
        name: 'greeter',
        namespace: 'default',
        hostname: 'greeter.default.svc.cluster.local',
        ports: [{ name: 'grpc', port: 50051, targetPort: 50051, protocol: 'GRPC' }],
        selector: { app: 'greeter' },
      },
    ],
    workloads: [
      { name: 'greeter-v1', namespace: 'default', address: '127.0.0.1', ports: { '50051': 41000 }, labels: { app: 'greeter' }, serviceAccount: 'greeter', sidecar: false, ready: true },
    ],
  };

  it('reads the current snapshot on every call', () => {
    let current = emptySnapshot();
    const generate = generateFor(() => current);
    const client = proxy('client', 'default', { generator: 'grpc' });
    expect(generate(client).listeners).toEqual([]);
    current = snapshot;
    expect(generate(client).listeners.map((l) => l.name)).toContain('greeter.default.svc.cluster.local:50051');
  });

  it('gives proxyless gRPC clients ApiListeners, ROUND_ROBIN EDS clusters and weighted localities', () => {
    const r = generateFor(() => snapshot)(proxy('client', 'default', { generator: 'grpc' }));
    expect(r.listeners.map((l) => l.name)).toEqual(expect.arrayContaining(['greeter:50051', 'greeter', 'greeter.default.svc.cluster.local:50051']));
    for (const l of r.listeners) expect(l).toHaveProperty('api_listener');
    expect(r.routes).toEqual([]);
    expect(r.clusters).toEqual([expect.objectContaining({ name: 'outbound|50051||greeter.default.svc.cluster.local', type: 'EDS', lb_policy: 'ROUND_ROBIN' })]);
    expect(r.endpoints).toEqual([
      expect.objectContaining({
        cluster_name: 'outbound|50051||greeter.default.svc.cluster.local',
        endpoints: [
          expect.objectContaining({
            load_balancing_weight: { value: 1 },
            lb_endpoints: [expect.objectContaining({ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 41000 } } } })],
          }),
        ],
      }),
    ]);
  });

  it('gives Envoy sidecars the Envoy flavour', () => {
    const r = generateFor(() => snapshot)(proxy('client'));
    expect(r.listeners.map((l) => l.name)).toEqual(expect.arrayContaining(['0.0.0.0_50051', 'virtualOutbound']));
    expect(r.routes.map((rc) => rc.name)).toContain('50051');
  });
});

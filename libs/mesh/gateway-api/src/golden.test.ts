import type { IstioConfig } from '@trellis/mesh-api';
import { decide, router, sidecar, snapshotOf } from './testing/decisions';
import { sample } from './testing/fixture';

/**
 * Istio's tasks documented with both APIs: the Gateway API variant must route every request as the
 * VirtualService variant does (translate + the traffic simulator, decisions compared as pods and shares).
 */
const DR = 'networking/destination-rule-all.yaml';
const productpage = sidecar('productpage-v1');
const reviews = (headers: Record<string, string> = {}) => ({ host: 'reviews.default.svc.cluster.local', port: 9080, path: '/reviews/0', headers });

const jasonRoute: IstioConfig[] = [
  ...sample('gateway-api/route-reviews-v1.yaml').map((r) => ({
    ...r,
    spec: {
      ...(r.spec as object),
      rules: [
        { matches: [{ headers: [{ type: 'Exact', name: 'end-user', value: 'jason' }] }], backendRefs: [{ name: 'reviews-v2', port: 9080 }] },
        { backendRefs: [{ name: 'reviews-v1', port: 9080 }] },
      ],
    },
  })) as IstioConfig[],
];

describe('Gateway API variants route as the VirtualService variants (mesh, from productpage)', () => {
  const tasks: [string, IstioConfig[], IstioConfig[]][] = [
    ['request routing: all v1', sample(DR, 'networking/virtual-service-all-v1.yaml'), sample('gateway-api/route-all-v1.yaml')],
    ['traffic shifting: 50 % v3', sample(DR, 'networking/virtual-service-reviews-50-v3.yaml'), sample('gateway-api/route-reviews-50-v3.yaml')],
    ['traffic shifting: 90/10', sample(DR, 'networking/virtual-service-reviews-90-10.yaml'), sample('gateway-api/route-reviews-90-10.yaml')],
    ['traffic shifting: all v3', sample(DR, 'networking/virtual-service-reviews-v3.yaml'), sample('gateway-api/route-reviews-v3.yaml')],
    ['request routing: jason → v2', sample(DR, 'networking/virtual-service-reviews-test-v2.yaml'), jasonRoute],
  ];
  it.each(tasks)('%s', (_name, istio, gatewayApi) => {
    const a = snapshotOf(istio);
    const b = snapshotOf(gatewayApi);
    for (const req of [reviews(), reviews({ 'end-user': 'jason' }), { ...reviews(), host: 'ratings.default.svc.cluster.local', path: '/ratings/0' }]) {
      expect(decide(b, productpage, req)).toBe(decide(a, productpage, req));
    }
  });

  it('compares something: the shares differ between tasks', () => {
    expect(decide(snapshotOf(sample('gateway-api/route-reviews-90-10.yaml')), productpage, reviews())).toBe('reviews-v1:90,reviews-v2:10');
    expect(decide(snapshotOf(jasonRoute), productpage, reviews({ 'end-user': 'jason' }))).toBe('reviews-v2:100');
  });
});

describe('Gateway API bookinfo-gateway routes as networking/bookinfo-gateway.yaml (ingress)', () => {
  const istio = snapshotOf(sample('networking/bookinfo-gateway.yaml'));
  const gatewayApi = snapshotOf(sample('gateway-api/bookinfo-gateway.yaml'));
  const ingress = router('istio-system', { istio: 'ingressgateway', app: 'istio-ingressgateway' });
  const deployed = router('default', { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'istio.io/gateway-name': 'bookinfo-gateway' });
  const paths = ['/productpage', '/productpage?u=normal', '/static/bootstrap.css', '/static', '/login', '/logout', '/api/v1/products', '/api/v1/products/0/reviews', '/', '/reviews/0', '/productpage/x'];

  it.each(paths)('%s', (path) => {
    const viaIstio = decide(istio, ingress, { host: 'bookinfo.example', port: 8080, path });
    expect(decide(gatewayApi, deployed, { host: 'bookinfo.example', port: 80, path })).toBe(viaIstio);
  });

  it('differs only where the spec says it must: PathPrefix matches whole segments', () => {
    expect(decide(istio, ingress, { host: 'x', port: 8080, path: '/staticfoo' })).toBe('productpage-v1:100');
    expect(decide(gatewayApi, deployed, { host: 'x', port: 80, path: '/staticfoo' })).toBe('404');
  });

  it('gives other routers nothing', () => {
    expect(decide(gatewayApi, ingress, { host: 'x', port: 80, path: '/productpage' })).toBe('404');
  });
});

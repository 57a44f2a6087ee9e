import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { simulate, translate, type SimulatedRequest } from './index';
import {
  bookinfoGateway,
  bookinfoSnapshot,
  bookinfoVirtualService,
  cluster,
  destinationRuleAll,
  detailsV2,
  faultInjectionDetailsV1,
  GATEWAY_PROXY,
  ratingsDb,
  ratingsDelay2s,
  ratingsMysql,
  ratingsMysqlVm,
  ratingsTestAbort,
  ratingsTestDelay,
  reviews50V3,
  reviews80_20,
  reviews90_10,
  reviewsJasonV2V3,
  reviewsTestV2,
  reviewsTimeout,
  reviewsV2V3,
  reviewsV3,
  sidecarProxy,
  virtualServiceAllV1,
} from './testing/bookinfo';

const productpage = sidecarProxy('productpage-v1');
const reviewsV2Proxy = sidecarProxy('reviews-v2');

function send(snapshot: MeshSnapshot, proxy: ProxyInfo, req: Partial<SimulatedRequest> & { host: string }) {
  return simulate(translate(snapshot, proxy), { port: 9080, path: '/', ...req });
}

/** `kubectl apply` of the given VirtualServices on top of destination-rule-all. */
function withVs(...vs: MeshSnapshot['virtualServices'][number][]): MeshSnapshot {
  const hosts = new Set(vs.map((v) => v.metadata.name));
  const base = virtualServiceAllV1.filter((v) => !hosts.has(v.metadata.name));
  return bookinfoSnapshot({ destinationRules: destinationRuleAll, virtualServices: [...base, ...vs] });
}

const JASON = { 'end-user': 'jason' };

describe('no VirtualService: default routes', () => {
  it('sends reviews to the plain cluster with Istio default retries and no timeout', () => {
    const r = send(bookinfoSnapshot(), productpage, { host: 'reviews', path: '/reviews/0' });
    expect(r).toMatchObject({ listener: '0.0.0.0_9080', routeConfig: '9080', virtualHost: 'reviews.default.svc.cluster.local:9080' });
    expect(r.cluster).toBe(cluster('reviews'));
    expect(r.timeout).toEqual({ seconds: 0, nanos: 0 });
    expect(r.retry).toMatchObject({ num_retries: { value: 2 }, retriable_status_codes: [503] });
  });

  it('matches every domain spelling of the contract', () => {
    for (const host of ['reviews', 'reviews:9080', 'reviews.default', 'reviews.default.svc:9080', 'reviews.default.svc.cluster.local']) {
      expect(send(bookinfoSnapshot(), productpage, { host }).cluster).toBe(cluster('reviews'));
    }
  });

  it('sends unknown hosts to PassthroughCluster', () => {
    expect(send(bookinfoSnapshot(), productpage, { host: 'example.com' }).cluster).toBe('PassthroughCluster');
  });
});

describe('virtual-service-all-v1 + destination-rule-all', () => {
  const snap = withVs();
  it.each(['productpage', 'reviews', 'ratings', 'details'])('%s → subset v1', (svc) => {
    const r = send(snap, productpage, { host: svc, path: `/${svc}/0` });
    expect(r.cluster).toBe(cluster(svc, 'v1'));
  });
  it('names the source VirtualService in route metadata', () => {
    const rc = translate(snap, productpage).routes.find((x) => x.name === '9080')!;
    const vh = rc.virtual_hosts!.find((v) => v.name === 'reviews.default.svc.cluster.local:9080')!;
    expect(vh.routes?.[0]?.metadata?.filter_metadata?.istio?.config).toBe('/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews');
  });
});

describe('reviews samples', () => {
  it('reviews-test-v2: jason → v2, others → v1', () => {
    const snap = withVs(reviewsTestV2);
    expect(send(snap, productpage, { host: 'reviews', path: '/reviews/0', headers: JASON }).cluster).toBe(cluster('reviews', 'v2'));
    expect(send(snap, productpage, { host: 'reviews', path: '/reviews/0', headers: { 'end-user': 'Jason' } }).cluster).toBe(cluster('reviews', 'v1'));
    expect(send(snap, productpage, { host: 'reviews', path: '/reviews/0' }).cluster).toBe(cluster('reviews', 'v1'));
  });
  it('reviews-jason-v2-v3: jason → v2, others → v3', () => {
    const snap = withVs(reviewsJasonV2V3);
    expect(send(snap, productpage, { host: 'reviews', headers: JASON }).cluster).toBe(cluster('reviews', 'v2'));
    expect(send(snap, productpage, { host: 'reviews' }).cluster).toBe(cluster('reviews', 'v3'));
  });
  it.each([
    ['50-v3', reviews50V3, [['v1', 50], ['v3', 50]]],
    ['80-20', reviews80_20, [['v1', 80], ['v2', 20]]],
    ['90-10', reviews90_10, [['v1', 90], ['v2', 10]]],
    ['v2-v3', reviewsV2V3, [['v2', 50], ['v3', 50]]],
  ] as const)('%s → weighted clusters', (_name, vs, split) => {
    const r = send(withVs(vs), productpage, { host: 'reviews' });
    expect(r.cluster).toBeUndefined();
    expect(r.weighted).toEqual(split.map(([s, w]) => ({ cluster: cluster('reviews', s), weight: w })));
  });
  it('reviews-v3 → v3', () => {
    expect(send(withVs(reviewsV3), productpage, { host: 'reviews' }).cluster).toBe(cluster('reviews', 'v3'));
  });
  it('request timeouts: 0.5s on the reviews route', () => {
    const r = send(withVs(reviewsTimeout, ratingsDelay2s), productpage, { host: 'reviews' });
    expect(r).toMatchObject({ cluster: cluster('reviews', 'v2'), timeout: { seconds: 0, nanos: 500000000 } });
    const ratings = send(withVs(reviewsTimeout, ratingsDelay2s), reviewsV2Proxy, { host: 'ratings', path: '/ratings/0' });
    expect(ratings.fault?.delay).toEqual({ fixed_delay: { seconds: 2, nanos: 0 }, percentage: { numerator: 1000000, denominator: 'MILLION' } });
  });
});

describe('ratings and details samples', () => {
  it('ratings-test-delay: 7s delay for jason only, both → v1', () => {
    const snap = withVs(reviewsTestV2, ratingsTestDelay);
    const j = send(snap, reviewsV2Proxy, { host: 'ratings', path: '/ratings/0', headers: JASON });
    expect(j.cluster).toBe(cluster('ratings', 'v1'));
    expect(j.fault).toEqual({ delay: { fixed_delay: { seconds: 7, nanos: 0 }, percentage: { numerator: 1000000, denominator: 'MILLION' } } });
    const other = send(snap, reviewsV2Proxy, { host: 'ratings', path: '/ratings/0' });
    expect(other).toMatchObject({ cluster: cluster('ratings', 'v1') });
    expect(other.fault).toBeUndefined();
  });
  it('ratings-test-abort: 500 for jason only', () => {
    const snap = withVs(reviewsTestV2, ratingsTestAbort);
    const j = send(snap, reviewsV2Proxy, { host: 'ratings', headers: JASON });
    expect(j.fault?.abort).toEqual({ http_status: 500, percentage: { numerator: 1000000, denominator: 'MILLION' } });
    expect(send(snap, reviewsV2Proxy, { host: 'ratings' }).fault).toBeUndefined();
  });
  it('fault-injection-details-v1: abort 555 for every request', () => {
    const snap = bookinfoSnapshot({ virtualServices: [faultInjectionDetailsV1.virtualService], destinationRules: [faultInjectionDetailsV1.destinationRule] });
    const r = send(snap, productpage, { host: 'details', path: '/details/0' });
    expect(r.cluster).toBe(cluster('details', 'v1'));
    expect(r.fault?.abort?.http_status).toBe(555);
    // the first rule has no match: it is a catch-all, so the second rule is unreachable and dropped
    const vh = translate(snap, productpage).routes[0]!.virtual_hosts!.find((v) => v.name!.startsWith('details.'))!;
    expect(vh.routes).toHaveLength(1);
  });
  it('details-v2, ratings-db, ratings-mysql, ratings-mysql-vm', () => {
    expect(send(withVs(detailsV2), productpage, { host: 'details' }).cluster).toBe(cluster('details', 'v2'));
    for (const [vss, subset] of [[ratingsDb, 'v2'], [ratingsMysql, 'v2-mysql'], [ratingsMysqlVm, 'v2-mysql-vm']] as const) {
      const snap = withVs(...vss);
      expect(send(snap, productpage, { host: 'reviews' }).cluster).toBe(cluster('reviews', 'v3'));
      expect(send(snap, sidecarProxy('reviews-v3'), { host: 'ratings' }).cluster).toBe(cluster('ratings', subset));
    }
  });
});

describe('bookinfo-gateway', () => {
  const snap = bookinfoSnapshot({ gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService, ...virtualServiceAllV1], destinationRules: destinationRuleAll });
  const gw = translate(snap, GATEWAY_PROXY);
  const req = (path: string, host = 'anything.example') => simulate(gw, { host, port: 8080, path });

  it('GET /productpage from any host → productpage', () => {
    expect(req('/productpage')).toMatchObject({ listener: '0.0.0.0_8080', routeConfig: 'http.8080', virtualHost: '*:8080', cluster: cluster('productpage') });
    expect(req('/static/tailwind.css', 'localhost:8080').cluster).toBe(cluster('productpage'));
    expect(req('/api/v1/products/0').cluster).toBe(cluster('productpage'));
  });
  it('GET / → no route (404)', () => {
    expect(req('/')).toMatchObject({ matched: false, virtualHost: '*:8080' });
    expect(req('/health').matched).toBe(false);
  });
  it('gets every outbound cluster and CLA, and a 0.0.0.0_8080 listener', () => {
    expect(gw.clusters.map((c) => c.name)).toEqual(expect.arrayContaining([cluster('productpage'), cluster('reviews', 'v3'), 'BlackHoleCluster']));
    expect(gw.endpoints.map((e) => e.cluster_name)).toContain(cluster('productpage', 'v1'));
    expect(gw.listeners.map((l) => l.name)).toEqual(['0.0.0.0_8080']);
    expect(gw.listeners[0]?.address).toEqual({ socket_address: { address: '0.0.0.0', port_value: 8080 } });
  });
  it('has no virtual hosts when no VirtualService binds the gateway', () => {
    const empty = translate(bookinfoSnapshot({ gateways: [bookinfoGateway] }), GATEWAY_PROXY);
    expect(empty.routes).toEqual([{ name: 'http.8080', virtual_hosts: [], validate_clusters: { value: false } }]);
  });
  it('gateway-bound VirtualServices do not apply to sidecars', () => {
    expect(send(snap, productpage, { host: 'productpage', path: '/' }).cluster).toBe(cluster('productpage', 'v1'));
  });
  it('ignores gateways whose selector does not match the proxy', () => {
    const other = translate(snap, { ...GATEWAY_PROXY, labels: { istio: 'egressgateway' } });
    expect(other.listeners).toEqual([]);
  });
});

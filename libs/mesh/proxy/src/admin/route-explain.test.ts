// The route explain over tables compiled exactly as the proxy compiles them (compileListener,
// compileRouteTable, the cluster manager), in the shapes the translator emits for Bookinfo.
import { silentLogger } from '@trellis/shared';
import { ConfigStore } from '../config/config-store';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration } from '../config/envoy-types';
import { FilterCounters } from '../http/counters';
import type { CompileEnv } from '../http/filter';
import { TrafficStats } from '../http/traffic-stats';
import { compileListener } from '../listener/listener-config';
import type { ProxyContext } from '../proxy-context';
import { UNKNOWN_NODE } from '../proxy-node';
import { compileRouteTable } from '../routing/route-table';
import { SYSTEM_RUNTIME } from '../runtime';
import { HTTP_FILTERS } from '../stack';
import { ISTIO_RETRY, assignment, edsCluster, faultConfig, httpListener, route, routeConfig, svc, vhost, virtualOutbound } from '../testing/envoy-fixtures';
import { ClusterManager, compileAssignments, compileClusters } from '../upstream/cluster-manager';
import { explainRoute } from './route-explain';
import type { RouteQuery } from './route-explain-types';

interface Xds {
  readonly mode?: 'sidecar' | 'router';
  readonly clusters: Cluster[];
  readonly endpoints: ClusterLoadAssignment[];
  readonly listeners: Listener[];
  readonly routes: RouteConfiguration[];
}

function compiled(x: Xds): { ctx: ProxyContext; store: ConfigStore } {
  const filterCounters = new FilterCounters();
  const env: CompileEnv = { registry: HTTP_FILTERS, counters: filterCounters, runtime: SYSTEM_RUNTIME };
  const ctx: ProxyContext = {
    mode: x.mode ?? 'sidecar', node: UNKNOWN_NODE, logger: silentLogger(), clusters: new ClusterManager(0, SYSTEM_RUNTIME),
    routes: new Map(), listeners: new Map(), listenersByPort: new Map(), traffic: new TrafficStats(), filterCounters,
    runtime: SYSTEM_RUNTIME, accessLog: undefined, originalDst: { available: false, reason: 'test' }, secrets: undefined, draining: false,
  };
  ctx.clusters.applyClusters(compileClusters(x.clusters));
  ctx.clusters.applyAssignments(compileAssignments(x.endpoints));
  x.listeners.map((l, i) => compileListener(l, i, env)).forEach((l) => {
    ctx.listeners.set(l.name, l);
    if (!l.bind) ctx.listenersByPort.set(l.port, l);
  });
  for (const r of x.routes) ctx.routes.set(r.name ?? '', compileRouteTable(r, env));
  const store = new ConfigStore();
  store.record('RDS', x.routes, x.routes.map((r) => r.name ?? ''), 'v1');
  return { ctx, store };
}

const REVIEWS_DOMAINS = ['reviews.default.svc.cluster.local', 'reviews', 'reviews.default.svc.cluster.local:9080', 'reviews:9080'];
const VS = '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews';
const meta = { metadata: { filter_metadata: { istio: { config: VS } } } };
const jason = route({ prefix: '/', headers: [{ name: 'end-user', string_match: { exact: 'jason' } }] }, { cluster: svc('reviews', 'v2'), retry_policy: ISTIO_RETRY, timeout: { seconds: 0, nanos: 500_000_000 } }, { name: 'jason', ...meta });
const split = route(
  { prefix: '/' },
  { weighted_clusters: { clusters: [{ name: svc('reviews', 'v1'), weight: { value: 50 } }, { name: svc('reviews', 'v3'), weight: { value: 50 } }] }, request_mirror_policies: [{ cluster: svc('reviews', 'v3'), runtime_fraction: { default_value: { numerator: 25 } } }] },
  { name: 'split', typed_per_filter_config: faultConfig({ delayMs: 7000, percent: 10 }), ...meta },
);

const bookinfo = (extra: Partial<Xds> = {}): Xds => ({
  clusters: ['v1', 'v2', 'v3'].map((s) => edsCluster(svc('reviews', s))).concat([{ name: 'PassthroughCluster', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' }]),
  endpoints: [
    assignment(svc('reviews', 'v1'), [{ port: 19081 }]),
    assignment(svc('reviews', 'v2'), [{ port: 19082 }, { port: 19083, health: 'UNHEALTHY' }]),
    assignment(svc('reviews', 'v3'), [{ port: 19084 }]),
  ],
  listeners: [virtualOutbound(), httpListener('0.0.0.0_9080', 9080, '9080', { bind_to_port: { value: false } })],
  routes: [routeConfig('9080', [vhost('reviews.default.svc.cluster.local:9080', REVIEWS_DOMAINS, [jason, split])])],
  ...extra,
});

const q = (host: string, path = '/', headers: [string, string][] = [], port?: number): RouteQuery => ({ host, path, method: 'GET', headers, port });

describe('explainRoute (the proxy\'s compiled tables)', () => {
  it('a header match: virtualOutbound → 0.0.0.0_9080 → the jason route → subset v2, with its timeout, retries and endpoints', () => {
    const { ctx, store } = compiled(bookinfo());
    const e = explainRoute(ctx, store, q('reviews:9080', '/reviews/0', [['end-user', 'jason']]));
    expect(e.failure).toBeUndefined();
    expect(e.listener).toMatchObject({ name: 'virtualOutbound', port: 15001, hcmListener: '0.0.0.0_9080', httpFilters: ['envoy.filters.http.fault', 'envoy.filters.http.router'] });
    expect(e.listener?.via).toBe("virtualOutbound → 0.0.0.0_9080 (the authority's port 9080)");
    expect([e.routeConfig, e.virtualHost?.name, e.virtualHost?.domains]).toEqual(['9080', 'reviews.default.svc.cluster.local:9080', REVIEWS_DOMAINS]);
    expect(e.route).toMatchObject({ name: 'jason', index: 0, action: 'route', virtualService: 'reviews.default', matchSummary: 'prefix "/" · header end-user exact "jason"' });
    expect(e.action?.clusters.map((c) => [c.subset, c.service, c.weight, c.endpoints.map((x) => `${x.address} ${x.health}`)])).toEqual([
      ['v2', 'reviews.default.svc.cluster.local', undefined, ['127.0.0.1:19082 HEALTHY', '127.0.0.1:19083 UNHEALTHY']],
    ]);
    expect(e.action?.timeoutMs).toBe(500);
    expect(e.action?.retry).toEqual({ attempts: 2, retryOn: ISTIO_RETRY.retry_on, perTryTimeoutMs: 0, retriableStatusCodes: [503] });
  });

  it('weights, mirrors and faults of the split route (another user: the header does not match)', () => {
    const { ctx, store } = compiled(bookinfo());
    const e = explainRoute(ctx, store, q('reviews:9080', '/', [['end-user', 'mary']]));
    expect(e.route?.name).toBe('split');
    expect(e.action?.clusters.map((c) => [c.subset, c.weight, c.percent])).toEqual([['v1', 50, 50], ['v3', 50, 50]]);
    expect(e.action?.mirrors).toEqual([{ cluster: svc('reviews', 'v3'), percent: 25 }]);
    expect(e.action?.faults).toEqual([{ filter: 'envoy.filters.http.fault', delayMs: 7000, delayPercent: 10, abortHttpStatus: undefined, abortGrpcStatus: undefined, abortPercent: undefined }]);
    expect(e.action?.timeoutMs).toBe(0);
  });

  it('no route matched: 404 NR at the route stage, listing the routes', () => {
    const { ctx, store } = compiled(bookinfo({ routes: [routeConfig('9080', [vhost('reviews.default.svc.cluster.local:9080', REVIEWS_DOMAINS, [jason])])] }));
    const e = explainRoute(ctx, store, q('reviews:9080'));
    expect(e.failure).toEqual({ stage: 'route', status: 404, flag: 'NR', details: 'route_not_found', message: 'no route of virtual host reviews.default.svc.cluster.local:9080 matched GET /', candidates: ['jason: prefix "/" · header end-user exact "jason"'] });
  });

  it('no virtual host for the authority: 404 NR listing the domains', () => {
    const { ctx, store } = compiled(bookinfo());
    const e = explainRoute(ctx, store, q('ratings:9080'));
    expect(e.failure?.stage).toBe('virtual_host');
    expect(e.failure?.message).toBe('no virtual host for ratings:9080 in route configuration 9080');
    expect(e.failure?.candidates).toEqual([`reviews.default.svc.cluster.local:9080: ${REVIEWS_DOMAINS.join(', ')}`]);
  });

  it('a port with no listener goes to the passthrough cluster, as the data path does; without one it is 404 NR', () => {
    const { ctx, store } = compiled(bookinfo());
    const pass = explainRoute(ctx, store, q('example.com:8443'));
    expect([pass.route?.action, pass.action?.clusters[0]?.name, pass.failure]).toEqual(['passthrough', 'PassthroughCluster', undefined]);
    const closed = compiled(bookinfo({ clusters: [edsCluster(svc('reviews', 'v2'))] }));
    const e = explainRoute(closed.ctx, closed.store, q('example.com:8443'));
    expect(e.failure).toMatchObject({ stage: 'listener', status: 404, flag: 'NR', message: 'no listener for port 8443', candidates: ['0.0.0.0_9080 (port 9080)'] });
  });

  it('--from-port names a listener; an unknown one lists the bound listeners', () => {
    const { ctx, store } = compiled(bookinfo());
    expect(explainRoute(ctx, store, q('reviews:9080', '/', [], 15001)).route?.name).toBe('split');
    const e = explainRoute(ctx, store, q('reviews:9080', '/', [], 15006));
    expect(e.failure).toMatchObject({ stage: 'listener', message: 'no listener for port 15006', candidates: ['virtualOutbound (0.0.0.0:15001, original destination)'] });
  });

  it('a route to an unknown cluster is 503 NC; a cluster without healthy endpoints 503 UH', () => {
    const only = (cluster: string): Xds => bookinfo({ routes: [routeConfig('9080', [vhost('r', ['*'], [route({ prefix: '/' }, { cluster })])])] });
    const nc = compiled(only('outbound|9080|v9|reviews.default.svc.cluster.local'));
    expect(explainRoute(nc.ctx, nc.store, q('reviews:9080')).failure).toMatchObject({ stage: 'cluster', status: 503, flag: 'NC' });
    const uh = compiled({ ...only(svc('reviews', 'v2')), endpoints: [assignment(svc('reviews', 'v2'), [{ port: 1, health: 'UNHEALTHY' }])] });
    expect(explainRoute(uh.ctx, uh.store, q('reviews:9080')).failure).toMatchObject({ stage: 'endpoints', status: 503, flag: 'UH', message: `no healthy endpoint in ${svc('reviews', 'v2')}` });
  });

  it('a gateway: its one HTTP listener, Host-routed; a missing route configuration is 503 NR', () => {
    const gw = compiled({ ...bookinfo(), mode: 'router', listeners: [httpListener('0.0.0.0_8080', 8080, 'http.8080')] });
    const e = explainRoute(gw.ctx, gw.store, q('bookinfo.example.com'));
    expect(e.listener?.name).toBe('0.0.0.0_8080');
    expect(e.failure).toMatchObject({ stage: 'route_config', status: 503, flag: 'NR', message: 'route configuration http.8080 has not been received (RDS)' });
  });
});

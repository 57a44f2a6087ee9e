import { ZIPKIN_TRACER_NAME, ZIPKIN_TRACER_TYPE } from '@trellis/mesh-envoy';
import type { Cluster, HttpConnectionManager, Listener } from '../config/envoy-types';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from '../testing/harness';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../testing/envoy-fixtures';
import { inboundCluster, meshAssignment } from '../testing/istio-mtls';
import { exchangeCluster, exchangeServerListener as serverListener, podNode, scrapeProxy as scrape } from '../testing/mesh-exchange';
import { type MeshPki, meshPki, spiffe } from '../testing/mesh-pki';
import { ISTIO_RATE_LIMIT, type TestRls, rateLimitListener, startTestRls } from '../http/filters/ratelimit/test-rls';
import { type GrpcAuthorizer, authzListener, counter, startGrpcAuthorizer } from '../http/filters/ext-authz/test-authorizers';

/**
 * The proxy's own calls (ratelimit's ShouldRateLimit, ext_authz's Check) to in-mesh services over an
 * Istio mTLS cluster, between two real sidecars: the client cluster offers `istio-peer-exchange,
 * istio, h2` (no istio.alpn override on a side call), the server's TCP chain (an undeclared port,
 * istiod's shape) negotiates `istio-peer-exchange`; the connection must carry the metadata exchange
 * both ways before HTTP/2, as every upstream connection of a cluster with the upstream exchange does.
 */

const PRODUCTPAGE = podNode('productpage-v1-6b746f74dc-9stvs', 'productpage');
const RATELIMIT = podNode('ratelimit-5d9c7c4f8b-k2x7q', 'ratelimit');

const RLS_HOST = 'ratelimit.default.svc.cluster.local';
const RLS_CLUSTER = `outbound|8081||${RLS_HOST}`;
const AUTHZ_HOST = 'ext-authz.default.svc.cluster.local';
const AUTHZ_CLUSTER = `outbound|9000||${AUTHZ_HOST}`;
const PATH_ACTION = [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }];
const ZIPKIN_CLUSTER = 'outbound|9411||zipkin.istio-system.svc.cluster.local';
const meshCluster = (name: string, port: number, host: string, http2 = true): Cluster => exchangeCluster(name, port, host, 'ratelimit', http2);

/** 0.0.0.0_9082 → the app, every request traced to Zipkin at the in-mesh ZIPKIN_CLUSTER (HTTP/1.1). */
function tracedListener(): Listener {
  const l = httpListener('0.0.0.0_9082', 9082, routeConfig('9082', [vhost('app', ['*'], [route({ prefix: '/' }, { cluster: svc('reviews') })])]));
  const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as HttpConnectionManager;
  const provider = { name: ZIPKIN_TRACER_NAME, typed_config: { '@type': ZIPKIN_TRACER_TYPE, collector_cluster: ZIPKIN_CLUSTER, collector_endpoint: '/api/v2/spans', collector_endpoint_version: 'HTTP_JSON' as const } };
  return { ...l, filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { ...hcm, tracing: { provider, random_sampling: { value: 100 } } } }] }] } as Listener;
}

describe.each(['STRICT', 'PERMISSIVE'] as const)('side calls through an in-mesh mTLS cluster (server %s)', (mode) => {
  let pki: MeshPki;
  let app: Upstream;
  let rls: TestRls;
  let authz: GrpcAuthorizer;
  let zipkin: Upstream;
  const reports: string[] = [];
  let server: TestProxy;
  let client: TestProxy;
  beforeAll(async () => {
    pki = meshPki();
    app = await startUpstream('app');
    rls = await startTestRls(1, 'count');
    authz = await startGrpcAuthorizer();
    zipkin = await startUpstream('zipkin', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => (reports.push(Buffer.concat(chunks).toString()), res.writeHead(202).end()));
    });
    server = await startProxy(
      { clusters: [inboundCluster(8081, rls.port), inboundCluster(9000, authz.port), inboundCluster(9411, zipkin.port)], listeners: [serverListener(8081, mode), serverListener(9000, mode), serverListener(9411, mode)] },
      { secrets: pki.store('ratelimit'), node: RATELIMIT },
    );
    const authzCfg = { grpc_service: { envoy_grpc: { cluster_name: AUTHZ_CLUSTER, authority: AUTHZ_HOST }, timeout: { seconds: 5 } }, transport_api_version: 'V3' as const };
    client = await startProxy(
      {
        clusters: [edsCluster(svc('productpage')), edsCluster(svc('reviews')), meshCluster(RLS_CLUSTER, 8081, RLS_HOST), meshCluster(AUTHZ_CLUSTER, 9000, AUTHZ_HOST), meshCluster(ZIPKIN_CLUSTER, 9411, 'zipkin.istio-system.svc.cluster.local', false)],
        endpoints: [
          assignment(svc('productpage'), [{ port: app.port }]),
          assignment(svc('reviews'), [{ port: app.port }]),
          meshAssignment(RLS_CLUSTER, [{ port: server.port('127.0.0.1_8081'), sidecar: true }]),
          meshAssignment(AUTHZ_CLUSTER, [{ port: server.port('127.0.0.1_9000'), sidecar: true }]),
          meshAssignment(ZIPKIN_CLUSTER, [{ port: server.port('127.0.0.1_9411'), sidecar: true }]),
        ],
        listeners: [
          rateLimitListener({ ...ISTIO_RATE_LIMIT, rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: RLS_CLUSTER, authority: RLS_HOST } }, transport_api_version: 'V3' } }, PATH_ACTION),
          { ...authzListener(authzCfg), name: '0.0.0.0_9081' },
          tracedListener(),
        ],
      },
      { secrets: pki.store('productpage'), node: PRODUCTPAGE, tracingFlush: { minFlushSpans: 1, flushIntervalMs: 20, maxInFlight: 4, batchWindowMs: 0, maxBatchBytes: 2048 } },
    );
  });
  afterAll(async () => {
    await client.proxy.close();
    await server.proxy.close();
    await Promise.all([app.close(), rls.close(), authz.close(), zipkin.close()]);
  });

  it('ratelimit: ShouldRateLimit reaches the RLS through the server sidecar; the limit applies', async () => {
    const port = client.port('0.0.0.0_9080');
    const first = await send(port, { path: '/productpage' });
    expect([first.status, first.headers['x-ratelimit-remaining']]).toEqual([200, 'some']);
    expect((await send(port, { path: '/productpage' })).status).toBe(429);
    expect(rls.seen[0]).toEqual({ domain: 'productpage-ratelimit', descriptors: [{ entries: [{ key: 'PATH', value: '/productpage' }] }], hits_addend: 1 });
    expect(await counter(client, `cluster.${RLS_CLUSTER}.ratelimit.error`)).toBeUndefined();
  });

  it('ext_authz: Check over the same kind of cluster allows and denies', async () => {
    const port = client.port('0.0.0.0_9081');
    expect((await send(port, { path: '/reviews/1', headers: { 'x-ext-authz': 'allow' } })).status).toBe(200);
    expect((await send(port, { path: '/reviews/1' })).status).toBe(401);
    expect(authz.seen).toHaveLength(2);
  });

  it('tracing: the span report reaches a Zipkin collector behind the server sidecar (HTTP/1.1 pool)', async () => {
    expect((await send(client.port('0.0.0.0_9082'), { path: '/traced' })).status).toBe(200);
    // Delivered is not enough: the collector's answer must come back through the exchange (reports_sent).
    const deadline = Date.now() + 3000;
    while (((await counter(client, 'tracing.zipkin.reports_sent')) ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await counter(client, 'tracing.zipkin.reports_sent')).toBeGreaterThan(0);
    expect(await counter(client, 'tracing.zipkin.reports_failed')).toBe(0);
    const spans = reports.flatMap((r) => JSON.parse(r) as { tags?: Record<string, string> }[]);
    expect(spans.some((sp) => sp.tags?.['http.url']?.endsWith('/traced'))).toBe(true);
  });

  it("the server's TCP metrics name the caller's workload (the exchange happened both ways); the client counted it", async () => {
    await new Promise((r) => setTimeout(r, 50));
    const dest = (await scrape(server)).split('\n').filter((l) => l.startsWith('istio_tcp_connections_opened_total{'));
    expect(dest.length).toBeGreaterThan(0);
    for (const l of dest) {
      expect(l).toContain('reporter="destination",source_workload="productpage-v1",source_canonical_service="productpage"');
      expect(l).toContain(`source_principal="${spiffe('productpage')}"`);
      expect(l).toContain('destination_workload="ratelimit"');
    }
    const mx = (await scrape(client)).split('\n').find((l) => l.startsWith('envoy_metadata_exchange_alpn_protocol_found'));
    expect(mx).toMatch(/ [1-9]\d*$/);
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZIPKIN_TRACER_NAME, ZIPKIN_TRACER_TYPE } from '@trellis/mesh-envoy';
import type { HttpConnectionManager, Listener } from '../config/envoy-types';
import { UNKNOWN_NODE } from '../proxy-node';
import type { FlushPolicy } from './reporter';
import { assignment, edsCluster, httpListener, route, routeConfig, vhost } from '../testing/envoy-fixtures';
import { type TestProxy, type Upstream, deadPort, send, sleep, startProxy, startUpstream } from '../testing/harness';

/**
 * Real sockets: client sidecar (OUTBOUND listener) → server sidecar (INBOUND) → app, both proxies
 * tracing to a Zipkin collector (a node:http server recording POST /api/v2/spans) behind a cluster.
 */
const COLLECTOR = 'outbound|9411||zipkin.istio-system.svc.cluster.local';
/** Envoy's immediate flush (no batch window); a small batch so a hung collector fills it within the test. */
const FAST = { minFlushSpans: 1, flushIntervalMs: 20, maxInFlight: 4, batchWindowMs: 0, maxBatchBytes: 2048 };
type ZipkinSpan = { traceId: string; id: string; parentId?: string; kind: string; name: string; timestamp: number; duration: number; localEndpoint: Record<string, unknown>; tags: Record<string, string> };

function withTracing(l: Listener, sampling: number): Listener {
  const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as HttpConnectionManager;
  const tracing = {
    provider: { name: ZIPKIN_TRACER_NAME, typed_config: { '@type': ZIPKIN_TRACER_TYPE, collector_cluster: COLLECTOR, collector_endpoint: '/api/v2/spans', collector_endpoint_version: 'HTTP_JSON' as const, trace_id_128bit: true, shared_span_context: { value: false } } },
    random_sampling: { value: sampling },
    custom_tags: [{ tag: 'istio.mesh_id', literal: { value: 'cluster.local' } }, { tag: 'istio.canonical_service', literal: { value: 'reviews' } }],
  };
  return { ...l, filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { ...hcm, tracing } as HttpConnectionManager['tracing'] & object }] }] } as Listener;
}

function collector(status = 202): Promise<Upstream & { spans: ZipkinSpan[]; contentTypes: string[] }> {
  const spans: ZipkinSpan[] = [];
  const contentTypes: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/v2/spans') spans.push(...(JSON.parse(Buffer.concat(chunks).toString()) as ZipkinSpan[]));
      contentTypes.push(String(req.headers['content-type']));
      res.writeHead(status).end();
    });
  };
  return startUpstream('zipkin', handler).then((u) => Object.assign(u, { spans, contentTypes }));
}

async function mesh(sampling: number, collectorPort: number, tracingFlush: FlushPolicy = FAST): Promise<{ client: TestProxy; server: TestProxy; app: Upstream; close(): Promise<void> }> {
  const app = await startUpstream('reviews-v1');
  const collectorCluster = edsCluster(COLLECTOR);
  const collectorEndpoints = assignment(COLLECTOR, [{ port: collectorPort }]);
  const serverNode = { ...UNKNOWN_NODE, id: 'sidecar~127.0.0.1~reviews-v1-1.default~default.svc.cluster.local', cluster: 'reviews.default', name: 'reviews-v1-1', namespace: 'default', instanceIp: '127.0.0.1' };
  const server = await startProxy({
    clusters: [edsCluster('inbound|9080||'), collectorCluster],
    endpoints: [assignment('inbound|9080||', [{ port: app.port }]), collectorEndpoints],
    listeners: [withTracing(httpListener('virtualInbound', 15006, routeConfig('inbound|9080||', [vhost('inbound', ['*'], [route({ prefix: '/' }, { cluster: 'inbound|9080||' }, { decorator: { operation: 'reviews.default.svc.cluster.local:9080/*' } })])]), { traffic_direction: 'INBOUND' }), sampling)],
  }, { node: serverNode, tracingFlush });
  const reviews = 'outbound|9080||reviews.default.svc.cluster.local';
  const client = await startProxy({
    clusters: [edsCluster(reviews), collectorCluster],
    endpoints: [assignment(reviews, [{ port: server.port('virtualInbound') }]), collectorEndpoints],
    listeners: [withTracing(httpListener('0.0.0.0_9080', 9080, routeConfig('9080', [vhost('reviews', ['reviews', 'reviews:9080'], [route({ prefix: '/' }, { cluster: reviews }, { decorator: { operation: 'reviews.default.svc.cluster.local:9080/*' } })])])), sampling)],
  }, { node: { ...serverNode, id: 'sidecar~127.0.0.1~productpage-v1-1.default~default.svc.cluster.local', cluster: 'productpage.default', name: 'productpage-v1-1' }, tracingFlush });
  return { client, server, app, close: async () => void (await Promise.all([client.proxy.close(), server.proxy.close(), app.close()])) };
}

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(10);
}

describe('tracing through two sidecars (real sockets)', () => {
  it('100 %: one request gives a CLIENT and a SERVER span in one trace, linked, and the app gets x-b3-*', async () => {
    const zipkin = await collector();
    const m = await mesh(100, zipkin.port);
    try {
      const rid = '11111111-2222-4333-8444-555555555555';
      const reply = await send(m.client.port('0.0.0.0_9080'), { path: '/reviews/0', host: 'reviews:9080', headers: { 'x-request-id': rid, 'user-agent': 'curl/8' } });
      expect(reply.status).toBe(200);
      await waitFor(() => zipkin.spans.length >= 2);
      expect(zipkin.spans).toHaveLength(2);
      expect(zipkin.contentTypes[0]).toBe('application/json');
      const clientSpan = zipkin.spans.find((s) => s.kind === 'CLIENT') as ZipkinSpan;
      const serverSpan = zipkin.spans.find((s) => s.kind === 'SERVER') as ZipkinSpan;
      expect(clientSpan.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(serverSpan.traceId).toBe(clientSpan.traceId);
      expect(clientSpan.parentId).toBeUndefined();
      expect(serverSpan.parentId).toBe(clientSpan.id);
      expect(serverSpan.id).not.toBe(clientSpan.id);
      expect(clientSpan.name).toBe('reviews.default.svc.cluster.local:9080/*');
      expect(serverSpan.name).toBe('reviews.default.svc.cluster.local:9080/*');
      expect(clientSpan.localEndpoint).toEqual({ serviceName: 'productpage.default', ipv4: '127.0.0.1', port: 0 });
      expect(serverSpan.localEndpoint['serviceName']).toBe('reviews.default');
      expect(serverSpan.duration).toBeGreaterThan(0);
      expect(clientSpan.timestamp).toBeGreaterThan(1_600_000_000_000_000);
      // The sampled request id carries Envoy's reason ('9' = sampling) to every hop.
      const sampledRid = '11111111-2222-9333-8444-555555555555';
      expect(clientSpan.tags).toMatchObject({
        'guid:x-request-id': sampledRid, 'http.method': 'GET', 'http.url': 'http://reviews:9080/reviews/0', 'http.protocol': 'HTTP/1.1',
        'http.status_code': '200', 'response_flags': '-', component: 'proxy', user_agent: 'curl/8', downstream_cluster: '-',
        upstream_cluster: 'outbound|9080||reviews.default.svc.cluster.local', 'upstream_cluster.name': 'outbound|9080||reviews.default.svc.cluster.local',
        node_id: 'sidecar~127.0.0.1~productpage-v1-1.default~default.svc.cluster.local', 'istio.mesh_id': 'cluster.local', 'istio.canonical_service': 'reviews',
      });
      expect(clientSpan.tags['error']).toBeUndefined();
      const seen = m.app.seen[0]?.headers ?? {};
      expect(seen['x-request-id']).toBe(sampledRid);
      expect(seen['x-b3-traceid']).toBe(clientSpan.traceId);
      expect(seen['x-b3-spanid']).toBe(serverSpan.id);
      expect(seen['x-b3-parentspanid']).toBe(clientSpan.id);
      expect(seen['x-b3-sampled']).toBe('1');
      expect(m.server.proxy).toBeDefined();
    } finally {
      await m.close();
      await zipkin.close();
    }
  });

  it('continues the trace of an incoming B3 context and honours x-b3-sampled: 0 at 100 %', async () => {
    const zipkin = await collector();
    const m = await mesh(100, zipkin.port);
    try {
      const trace = '0af7651916cd43dd8448eb211c80319c';
      await send(m.client.port('0.0.0.0_9080'), { headers: { 'x-b3-traceid': trace, 'x-b3-spanid': 'b7ad6b7169203331', 'x-b3-sampled': '1' } });
      await waitFor(() => zipkin.spans.length >= 2);
      expect(zipkin.spans.map((s) => s.traceId)).toEqual([trace, trace]);
      expect(zipkin.spans.find((s) => s.kind === 'CLIENT')?.parentId).toBe('b7ad6b7169203331');
      zipkin.spans.length = 0;
      await send(m.client.port('0.0.0.0_9080'), { headers: { 'x-b3-sampled': '0' } });
      await sleep(100);
      expect(zipkin.spans).toHaveLength(0);
      expect(m.app.seen[1]?.headers['x-b3-sampled']).toBe('0');
    } finally {
      await m.close();
      await zipkin.close();
    }
  });

  it('0 %: no spans; the next hop is told x-b3-sampled: 0; x-client-trace-id still forces a trace', async () => {
    const zipkin = await collector();
    const m = await mesh(0, zipkin.port);
    try {
      for (let i = 0; i < 5; i++) expect((await send(m.client.port('0.0.0.0_9080'))).status).toBe(200);
      await sleep(100);
      expect(zipkin.spans).toHaveLength(0);
      expect(m.app.seen[0]?.headers['x-b3-sampled']).toBe('0');
      expect(m.app.seen[0]?.headers['x-b3-traceid']).toBeUndefined();
      await send(m.client.port('0.0.0.0_9080'), { headers: { 'x-client-trace-id': 'debug-1' } });
      await waitFor(() => zipkin.spans.length >= 2);
      expect(zipkin.spans).toHaveLength(2);
      expect(zipkin.spans[0]?.tags['guid:x-client-trace-id']).toBe('debug-1');
      expect(zipkin.spans.every((s) => s.tags['guid:x-request-id']?.charAt(14) === 'b')).toBe(true);
    } finally {
      await m.close();
      await zipkin.close();
    }
  });

  it('batch window: once minFlushSpans are pending, later spans join the same POST (one report per proxy for 12 requests)', async () => {
    const zipkin = await collector();
    const m = await mesh(100, zipkin.port, { minFlushSpans: 5, flushIntervalMs: 5000, maxInFlight: 4, batchWindowMs: 300, maxBatchBytes: 256 * 1024 });
    try {
      for (let i = 0; i < 12; i++) expect((await send(m.client.port('0.0.0.0_9080'))).status).toBe(200);
      await waitFor(() => zipkin.spans.length >= 24);
      expect(zipkin.spans).toHaveLength(24);
      expect(zipkin.contentTypes).toHaveLength(2);
      const stats = await statsOf(m.client);
      expect(stats.get('tracing.zipkin.spans_sent')).toBe(12);
      expect(stats.get('tracing.zipkin.reports_sent')).toBe(1);
    } finally {
      await m.close();
      await zipkin.close();
    }
  });

  it('a collector that is down neither fails nor slows requests; reports_failed counts it', async () => {
    const m = await mesh(100, await deadPort());
    try {
      const started = performance.now();
      for (let i = 0; i < 20; i++) expect((await send(m.client.port('0.0.0.0_9080'))).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
      await sleep(100);
      const stats = await statsOf(m.client);
      expect(stats.get('tracing.zipkin.spans_sent')).toBe(20);
      expect(stats.get('tracing.zipkin.reports_failed')).toBeGreaterThan(0);
      expect(stats.get('tracing.zipkin.reports_sent')).toBe(0);
    } finally {
      await m.close();
    }
  });

  it('a collector that never answers: requests go on, at most maxInFlight reports wait, spans that find the batch full are dropped and counted', async () => {
    const hung = await startUpstream('hung', () => undefined);
    const m = await mesh(100, hung.port);
    try {
      const started = performance.now();
      for (let i = 0; i < 10; i++) expect((await send(m.client.port('0.0.0.0_9080'))).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
      await waitFor(() => hung.seen.length >= 8);
      const stats = await statsOf(m.client);
      // 4 reports of one span wait; the next spans fill the 2 KiB batch (one or two ~0.9 KiB spans), the rest are dropped.
      expect(stats.get('tracing.zipkin.spans_sent')).toBe(4);
      const dropped = stats.get('tracing.zipkin.spans_dropped') ?? 0;
      expect(dropped).toBeGreaterThanOrEqual(4);
      expect(dropped).toBeLessThanOrEqual(5);
      await sleep(50);
      expect(hung.seen.length).toBe(8); // 4 waiting reports from each of the two proxies
    } finally {
      await m.close();
      await hung.close();
    }
  });
});

async function statsOf(p: TestProxy): Promise<Map<string, number>> {
  const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
  const text = await (await fetch(`http://127.0.0.1:${admin.port}/stats`)).text();
  return new Map(text.split('\n').filter((l) => l.includes(': ')).map((l) => { const [k, v] = l.split(': '); return [k ?? '', Number(v)] as [string, number]; }));
}

import { gzipSync } from 'node:zlib';
import type { Span } from './model/span';
import { BOOKINFO_TRACE_ID, bookinfoTrace, hexId, singleSpan } from './testing/fixtures';
import { startTestServer, type TestServer } from './testing/server';

const NOW_MS = 1_700_000_000_000;
const START_US = (NOW_MS - 60_000) * 1000;

describe('Zipkin v2 API contract (real socket)', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ nowMs: NOW_MS });
  });
  afterEach(() => server.close());

  it('accepts a JSON v2 span list with 202 and serves it back by trace id', async () => {
    const res = await server.post('/api/v2/spans', bookinfoTrace(START_US));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const trace = await server.getJson<Span[]>(`/api/v2/trace/${BOOKINFO_TRACE_ID}`);
    expect(trace.status).toBe(200);
    expect(trace.body).toHaveLength(9);
    // A client span and its shared server side are kept apart under one id.
    const shared = trace.body.filter((s) => s.id === 'a1b2c3d4e5f60004');
    expect(shared.map((s) => [s.kind, s.shared ?? false, s.localEndpoint?.serviceName]).sort()).toEqual([
      ['CLIENT', false, 'productpage.default'],
      ['SERVER', true, 'reviews.default'],
    ]);
  });

  it('lists services, span names and remote services', async () => {
    await server.post('/api/v2/spans', bookinfoTrace(START_US));
    expect((await server.getJson('/api/v2/services')).body).toEqual([
      'details.default', 'istio-ingressgateway.istio-system', 'productpage.default', 'ratings.default', 'reviews.default',
    ]);
    expect((await server.getJson('/api/v2/spans?serviceName=productpage.default')).body).toEqual([
      'details.default.svc.cluster.local:9080/*', 'productpage.default.svc.cluster.local:9080/*', 'reviews.default.svc.cluster.local:9080/*',
    ]);
    expect((await server.getJson('/api/v2/remoteServices?serviceName=productpage.default')).body).toEqual(['details.default', 'reviews.default']);
    expect((await server.getJson('/api/v2/spans')).status).toBe(400);
  });

  it('accepts gzip-compressed bodies', async () => {
    const body = gzipSync(JSON.stringify([singleSpan(7, 'frontend', START_US)]));
    const res = await server.post('/api/v2/spans', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(202);
    expect((await server.getJson<Span[]>(`/api/v2/trace/${hexId(7)}`)).body[0]?.localEndpoint?.serviceName).toBe('frontend');
  });

  it('normalises ids as Zipkin does: 128-bit ids with a zero high half, short ids, lower-case names', async () => {
    const span = { ...singleSpan(1, 'Frontend', START_US), traceId: '0000000000000000000000000000abcd', id: 'ef', name: 'GET /Home' };
    expect((await server.post('/api/v2/spans', [span])).status).toBe(202);
    const { status, body } = await server.getJson<Span[]>('/api/v2/trace/000000000000abcd');
    expect(status).toBe(200);
    expect(body[0]).toMatchObject({ traceId: '000000000000abcd', id: '00000000000000ef', name: 'get /home', localEndpoint: { serviceName: 'frontend' } });
  });

  it.each([
    ['upper-case hex', { traceId: 'ABCDEF0123456789' }, 'traceId should be lower-hex encoded with no prefix'],
    ['a 33-character trace id', { traceId: 'a'.repeat(33) }, 'traceId.length > 32'],
    ['a 17-character span id', { id: 'a'.repeat(17) }, 'id.length > 16'],
    ['an all-zero id', { id: '0000000000000000' }, 'id is all zeros'],
    ['no trace id', { traceId: undefined }, 'traceId is required'],
    ['a bad kind', { kind: 'SERVERISH' }, 'kind: expected CLIENT|SERVER|PRODUCER|CONSUMER'],
    ['a string timestamp', { timestamp: 'soon' }, 'timestamp: expected a non-negative number'],
  ])('rejects %s with 400 and a message, storing nothing', async (_label, patch, message) => {
    const good = singleSpan(2, 'a', START_US);
    const res = await server.post('/api/v2/spans', [good, { ...good, id: hexId(3), ...patch }]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`span 1: ${message}`);
    expect((await server.getJson('/api/v2/services')).body).toEqual([]);
  });

  it('rejects bodies that are not a JSON list, and protobuf with 415', async () => {
    expect((await server.post('/api/v2/spans', '{"traceId":"1"}')).status).toBe(400);
    const broken = await server.post('/api/v2/spans', '[{');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('Expected a JSON_V2 encoded list of spans');
    const proto = await server.post('/api/v2/spans', Buffer.from([10, 2]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(415);
    expect(await proto.text()).toContain('send Zipkin JSON v2');
  });

  it('merges pieces of one span reported separately (late tags, same id and service)', async () => {
    const first = singleSpan(4, 'svc', START_US, 500, { tags: { a: '1' } });
    const late = { traceId: first.traceId, id: first.id, localEndpoint: { serviceName: 'svc' }, tags: { b: '2' }, annotations: [{ timestamp: START_US + 10, value: 'ws' }] };
    await server.post('/api/v2/spans', [first]);
    await server.post('/api/v2/spans', [late]);
    const { body } = await server.getJson<Span[]>(`/api/v2/trace/${hexId(4)}`);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ name: 'get /svc', duration: 500, tags: { a: '1', b: '2' }, annotations: [{ timestamp: START_US + 10, value: 'ws' }] });
    expect(server.store.stats()).toEqual({ spans: 1, traces: 1 });
  });

  it('answers 404 for an unknown trace and traceMany with the ones it has', async () => {
    await server.post('/api/v2/spans', [singleSpan(5, 'a', START_US), singleSpan(6, 'b', START_US)]);
    const missing = await fetch(`${server.origin}/api/v2/trace/${hexId(99)}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('not found');
    const many = await server.getJson<Span[][]>(`/api/v2/traceMany?traceIds=${hexId(5)},${hexId(99)},${hexId(6)}`);
    expect(many.body.map((t) => t[0]?.traceId).sort()).toEqual([hexId(5), hexId(6)]);
    expect((await server.getJson('/api/v2/traceMany?traceIds=xyz')).status).toBe(400);
  });

  it('reports health and Prometheus counters of accepted and dropped spans', async () => {
    await server.post('/api/v2/spans', bookinfoTrace(START_US));
    await server.post('/api/v2/spans', [{ traceId: 'nothex' }, {}]);
    expect((await server.getJson<{ status: string }>('/health')).body.status).toBe('UP');
    const text = await (await fetch(`${server.origin}/prometheus`)).text();
    expect(text).toContain('zipkin_collector_spans_total{transport="http"} 9');
    expect(text).toContain('zipkin_collector_messages_total{transport="http"} 2');
    expect(text).toContain('zipkin_collector_messages_dropped_total{transport="http"} 1');
    expect(text).toContain('zipkin_collector_spans_dropped_total{transport="http"} 2');
    expect(text).toContain('zipkin_storage_spans 9');
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(200);
  });
});

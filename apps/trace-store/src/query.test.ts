import type { DependencyLink, Span } from './model/span';
import { BOOKINFO_TRACE_ID, bookinfoTrace, hexId, singleSpan } from './testing/fixtures';
import { startTestServer, type TestServer } from './testing/server';

const NOW_MS = 1_700_000_000_000;
const MIN_US = 60_000_000;
const ago = (minutes: number): number => (NOW_MS * 1000) - minutes * MIN_US;

describe('GET /api/v2/traces: Zipkin query semantics', () => {
  let server: TestServer;
  const ids = async (query: string): Promise<string[]> => {
    const { status, body } = await server.getJson<Span[][]>(`/api/v2/traces?${query}`);
    expect(status).toBe(200);
    return body.map((t) => t[0]!.traceId);
  };

  beforeAll(async () => {
    server = await startTestServer({ nowMs: NOW_MS });
    await server.post('/api/v2/spans', [
      singleSpan(1, 'frontend', ago(1), 5_000, { tags: { 'http.path': '/a', cache: 'miss' } }),
      singleSpan(2, 'frontend', ago(2), 50_000, { name: 'post /b', remoteEndpoint: { serviceName: 'db' } }),
      singleSpan(3, 'backend', ago(3), 500, { annotations: [{ timestamp: ago(3) + 10, value: 'retry' }] }),
      singleSpan(4, 'frontend', ago(60 * 30), 1_000),
    ]);
    await server.post('/api/v2/spans', bookinfoTrace(ago(5)));
  });
  afterAll(() => server.close());

  it('returns traces in the default one-day lookback, newest first, limit 10', async () => {
    expect(await ids('')).toEqual([hexId(1), hexId(2), hexId(3), BOOKINFO_TRACE_ID]);
    expect(await ids('limit=2')).toEqual([hexId(1), hexId(2)]);
  });

  it('filters by serviceName, spanName and remoteServiceName (case-insensitive names)', async () => {
    expect(await ids('serviceName=frontend')).toEqual([hexId(1), hexId(2)]);
    expect(await ids('serviceName=FRONTEND&spanName=post%20/b')).toEqual([hexId(2)]);
    expect(await ids('serviceName=frontend&remoteServiceName=db')).toEqual([hexId(2)]);
    expect(await ids('serviceName=ratings.default')).toEqual([BOOKINFO_TRACE_ID]);
    expect(await ids('serviceName=nobody')).toEqual([]);
    // Criteria must hold on a span of the named service: reviews' spans do not call ratings's name.
    expect(await ids('serviceName=ratings.default&spanName=productpage.default.svc.cluster.local:9080/*')).toEqual([]);
  });

  it('matches annotationQuery terms against tags (key, key=value) and annotation values', async () => {
    expect(await ids('annotationQuery=http.path%3D/a%20and%20cache')).toEqual([hexId(1)]);
    expect(await ids('annotationQuery=http.path%3D/other')).toEqual([]);
    expect(await ids('annotationQuery=retry')).toEqual([hexId(3)]);
  });

  it('filters by minDuration and maxDuration (microseconds)', async () => {
    expect(await ids('serviceName=frontend&minDuration=10000')).toEqual([hexId(2)]);
    expect(await ids('serviceName=frontend&minDuration=1000&maxDuration=6000')).toEqual([hexId(1)]);
    const bad = await server.getJson<string>('/api/v2/traces?maxDuration=5');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('minDuration is required when specifying maxDuration');
  });

  it('windows by endTs and lookback (milliseconds)', async () => {
    expect(await ids(`endTs=${NOW_MS - 90_000}&lookback=120000`)).toEqual([hexId(2), hexId(3)]);
    expect(await ids(`lookback=${31 * 60_000 * 60}&serviceName=frontend`)).toEqual([hexId(1), hexId(2), hexId(4)]);
    expect((await server.getJson('/api/v2/traces?limit=0')).status).toBe(400);
    expect((await server.getJson('/api/v2/traces?endTs=abc')).status).toBe(400);
  });

  it('links services in /api/v2/dependencies from shared client/server spans', async () => {
    const { body } = await server.getJson<DependencyLink[]>(`/api/v2/dependencies?endTs=${NOW_MS}&lookback=3600000`);
    const byPair = Object.fromEntries(body.map((l) => [`${l.parent}->${l.child}`, l.callCount]));
    expect(byPair).toMatchObject({
      'istio-ingressgateway.istio-system->productpage.default': 1,
      'productpage.default->details.default': 1,
      'productpage.default->reviews.default': 1,
      'reviews.default->ratings.default': 1,
      // a SERVER span's remote endpoint is its caller
      'db->frontend': 1,
    });
    expect((await server.getJson('/api/v2/dependencies')).status).toBe(400);
  });
});

describe('dependency error counts', () => {
  it('counts a call as an error when the server span carries an error tag', async () => {
    const server = await startTestServer({ nowMs: NOW_MS });
    const trace = bookinfoTrace(ago(1), 'b'.repeat(32)).map((s) => (s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'ratings.default' ? { ...s, tags: { error: 'true' } } : s));
    await server.post('/api/v2/spans', trace);
    const { body } = await server.getJson<DependencyLink[]>(`/api/v2/dependencies?endTs=${NOW_MS}`);
    expect(body.find((l) => l.child === 'ratings.default')).toEqual({ parent: 'reviews.default', child: 'ratings.default', callCount: 1, errorCount: 1 });
    await server.close();
  });
});

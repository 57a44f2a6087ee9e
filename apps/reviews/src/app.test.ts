import { silentLogger } from '@trellis/shared';
import { closedPort, createHttpClient, startStubServer, type HttpClient, type StubServer } from '@trellis/bookinfo-common';
import type { FastifyInstance } from 'fastify';
import { buildApp, type ReviewsAppConfig } from './app';
import { loadConfig } from './config';

const TEXT1 = 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!';
const TEXT2 = 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.';

function expectedBody(ratings: string[]): string {
  return (
    '{"id": "0","podname": "reviews-v2-abc-123","clustername": "null","reviews": [' +
    `{  "reviewer": "Reviewer1",  "text": "${TEXT1}"${ratings[0] ?? ''}},` +
    `{  "reviewer": "Reviewer2",  "text": "${TEXT2}"${ratings[1] ?? ''}}]}`
  );
}

describe('reviews', () => {
  let client: HttpClient;
  const apps: FastifyInstance[] = [];
  const stubs: StubServer[] = [];

  beforeEach(() => {
    client = createHttpClient();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    await Promise.all(stubs.splice(0).map((s) => s.close()));
    await client.close();
  });

  async function start(env: Record<string, string>, ratings?: Parameters<typeof startStubServer>[0]): Promise<FastifyInstance> {
    let port = await closedPort();
    if (ratings !== undefined) {
      const stub = await startStubServer(ratings);
      stubs.push(stub);
      port = stub.port;
    }
    const config: ReviewsAppConfig = loadConfig({ HOSTNAME: 'reviews-v2-abc-123', RATINGS_HOSTNAME: '127.0.0.1', RATINGS_SERVICE_PORT: String(port), ...env });
    const app = buildApp(config, { logger: silentLogger(), client });
    apps.push(app);
    return app;
  }

  it('GET /health', async () => {
    const app = await start({});
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"status": "Reviews is healthy"}');
    expect((await app.inject({ url: '/' })).body).toContain('Welcome to your Liberty Application');
  });

  it('v1 returns reviews without ratings and never calls ratings', async () => {
    const app = await start({ SERVICE_VERSION: 'v1' }, { status: 200, body: '{}' });
    const res = await app.inject({ url: '/reviews/0' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(expectedBody([]));
    expect(stubs[0]?.requests).toHaveLength(0);
  });

  it('v2 adds black stars from ratings and forwards the tracing headers and end-user', async () => {
    const app = await start({ ENABLE_RATINGS: 'true', STAR_COLOR: 'black' }, { status: 200, body: '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}' });
    const headers = { 'x-request-id': 'r-1', 'x-b3-traceid': 'a'.repeat(32), 'x-b3-parentspanid': 'b'.repeat(16), 'x-b3-flags': '1', 'end-user': 'jason', cookie: 'c=1', host: 'reviews:9080' };
    const res = await app.inject({ url: '/reviews/0', headers });
    expect(res.body).toBe(expectedBody([', "rating": {"stars": 5, "color": "black"}', ', "rating": {"stars": 4, "color": "black"}']));
    const seen = stubs[0]!.requests[0]!;
    expect(seen.url).toBe('/ratings/0');
    expect(seen.headers['accept']).toBe('application/json');
    for (const name of ['x-request-id', 'x-b3-traceid', 'x-b3-parentspanid', 'x-b3-flags', 'end-user', 'cookie'] as const) {
      expect(seen.headers[name]).toBe(headers[name]);
    }
    expect(seen.headers.host).not.toBe('reviews:9080');
  });

  it('v3 shows red stars and normalises the id like Java int parsing', async () => {
    const app = await start({ ENABLE_RATINGS: 'true', STAR_COLOR: 'red' }, { status: 200, body: '{"id":7,"ratings":{"Reviewer1":1,"Reviewer2":2}}' });
    const res = await app.inject({ url: '/reviews/007' });
    expect(res.json()).toEqual({
      id: '7',
      podname: 'reviews-v2-abc-123',
      clustername: 'null',
      reviews: [
        { reviewer: 'Reviewer1', text: TEXT1, rating: { stars: 1, color: 'red' } },
        { reviewer: 'Reviewer2', text: TEXT2, rating: { stars: 2, color: 'red' } },
      ],
    });
    expect(stubs[0]!.requests[0]!.url).toBe('/ratings/7');
  });

  it.each([
    ['error status', { status: 503, body: '{"error":"Service unavailable"}' }],
    ['non-JSON body', { status: 200, body: '<html>' }],
    ['missing ratings', { status: 200, body: '{"id":0}' }],
  ])('reports ratings unavailable on %s', async (_name, answer) => {
    const app = await start({ ENABLE_RATINGS: 'true' }, answer);
    const res = await app.inject({ url: '/reviews/0' });
    const unavailable = ', "rating": {"error": "Ratings service is currently unavailable"}';
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(expectedBody([unavailable, unavailable]));
  });

  it('marks a missing reviewer as unavailable and keeps the other', async () => {
    const app = await start({ ENABLE_RATINGS: 'true' }, { status: 200, body: '{"ratings":{"Reviewer2":3}}' });
    const reviews = (await app.inject({ url: '/reviews/0' })).json().reviews;
    expect(reviews[0].rating).toEqual({ error: 'Ratings service is currently unavailable' });
    expect(reviews[1].rating).toEqual({ stars: 3, color: 'black' });
  });

  it('reports ratings unavailable when ratings is down', async () => {
    const app = await start({ ENABLE_RATINGS: 'true', STAR_COLOR: 'red' });
    const body = (await app.inject({ url: '/reviews/0' })).json();
    expect(body.reviews[0].rating).toEqual({ error: 'Ratings service is currently unavailable' });
  });

  it('gives up on a hung ratings after the v3 timeout (2.5 s)', async () => {
    const app = await start({ ENABLE_RATINGS: 'true', STAR_COLOR: 'red' }, 'hang');
    const started = Date.now();
    const body = (await app.inject({ url: '/reviews/0' })).json();
    const elapsed = Date.now() - started;
    expect(body.reviews[1].rating).toEqual({ error: 'Ratings service is currently unavailable' });
    expect(elapsed).toBeGreaterThanOrEqual(2400);
    expect(elapsed).toBeLessThan(4000);
  });

  it('answers non-int ids with 404 and other methods with 405', async () => {
    const app = await start({});
    for (const url of ['/reviews/abc', '/reviews/1.5', '/reviews/99999999999', '/reviews', '/nope']) {
      expect([url, (await app.inject({ url })).statusCode]).toEqual([url, 404]);
    }
    expect((await app.inject({ url: '/reviews/0/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/reviews/0' })).statusCode).toBe(405);
    expect((await app.inject({ method: 'DELETE', url: '/health' })).statusCode).toBe(405);
  });
});

describe('loadConfig', () => {
  it('derives the ratings URL, timeout and the "null" names', () => {
    const c = loadConfig({ SERVICES_DOMAIN: 'default.svc.cluster.local', STAR_COLOR: 'red', ENABLE_RATINGS: 'true' });
    expect(c.ratingsService).toBe('http://ratings.default.svc.cluster.local:9080/ratings');
    expect(c.ratingsTimeoutMs).toBe(2500);
    expect(c.ratingsEnabled).toBe(true);
    expect(c.podName).toBe('null');
    expect(c.clusterName).toBe('null');
    const d = loadConfig({ RATINGS_HOSTNAME: 'r', RATINGS_SERVICE_PORT: '1234', HOSTNAME: 'reviews-v1-x', CLUSTER_NAME: 'c1' });
    expect(d).toMatchObject({ ratingsService: 'http://r:1234/ratings', ratingsTimeoutMs: 10000, ratingsEnabled: false, starColor: 'black', podName: 'reviews-v1-x', clusterName: 'c1', host: '0.0.0.0', port: 9080 });
  });
});

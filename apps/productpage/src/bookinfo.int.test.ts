/**
 * The four services as real processes from the built bundles (dist/apps/<name>/main.js), wired by
 * *_HOSTNAME / *_SERVICE_PORT on loopback (no mesh). Each process listens on PORT=0 and logs its port.
 */
import path from 'node:path';
import { closedPort, spawnApp, startStubServer, type SpawnedApp, type StubServer } from '@trellis/bookinfo-common';
import { countFullStars, countOccurrences } from './testing/harness';

const root = path.resolve(__dirname, '../../..');
const wire = (name: 'DETAILS' | 'REVIEWS' | 'RATINGS', port: number): Record<string, string> => ({
  [`${name}_HOSTNAME`]: '127.0.0.1',
  [`${name}_SERVICE_PORT`]: String(port),
});

describe('bookinfo (real processes)', () => {
  const apps: SpawnedApp[] = [];
  const stubs: StubServer[] = [];
  const pages: Record<'v1' | 'v2' | 'v3' | 'jason' | 'faults', SpawnedApp> = {} as never;
  let recorder: StubServer;

  const spawn = async (name: string, env: Record<string, string>): Promise<SpawnedApp> => {
    const app = await spawnApp(name, { workspaceRoot: root, env });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    recorder = await startStubServer({ status: 200, body: '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}' });
    const hung = await startStubServer('hang');
    stubs.push(recorder, hung);
    const [details, ratings] = await Promise.all([spawn('details', {}), spawn('ratings', { SERVICE_VERSION: 'v1' })]);
    const reviews = (version: string, color: string, ratingsPort: number, enabled = 'true'): Promise<SpawnedApp> =>
      spawn('reviews', { SERVICE_VERSION: version, ENABLE_RATINGS: enabled, STAR_COLOR: color, HOSTNAME: `reviews-${version}-5c4d-x7z`, ...wire('RATINGS', ratingsPort) });
    const [r1, r2, r3, rRec] = await Promise.all([
      reviews('v1', 'black', ratings.port, 'false'),
      reviews('v2', 'black', ratings.port),
      reviews('v3', 'red', ratings.port),
      reviews('v2', 'black', recorder.port),
    ]);
    const page = (reviewsPort: number, extra: Record<string, string> = {}): Promise<SpawnedApp> =>
      spawn('productpage', { ...wire('DETAILS', details.port), ...wire('REVIEWS', reviewsPort), ...wire('RATINGS', ratings.port), ...extra });
    const down = await closedPort();
    [pages.v1, pages.v2, pages.v3, pages.jason, pages.faults] = await Promise.all([
      page(r1.port),
      page(r2.port),
      page(r3.port),
      page(rRec.port, wire('RATINGS', recorder.port)),
      page(hung.port, wire('DETAILS', down)),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(stubs.map((stub) => stub.close()));
  });

  const get = async (app: SpawnedApp, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${app.origin}${url}`, { headers, redirect: 'manual' });
    return { status: res.status, body: await res.text() };
  };

  it.each([
    ['v1', 0, undefined],
    ['v2', 9, 'flex gap-x-1 text-black-500'],
    ['v3', 9, 'flex gap-x-1 text-red-500'],
  ] as const)('reviews %s: %i full stars', async (version, stars, colour) => {
    const { status, body } = await get(pages[version], '/productpage');
    expect(status).toBe(200);
    expect(countFullStars(body)).toBe(stars);
    if (colour !== undefined) expect(countOccurrences(body, colour)).toBe(2);
    expect(body).not.toContain('gap-x-1 text-' + (version === 'v3' ? 'black' : 'red'));
    expect(countOccurrences(body, `reviews-${version}-5c4d-x7z`)).toBe(2);
    expect(body).toContain('Book Details');
    expect(body).toContain('PublisherA');
  });

  it('serves the API through the real chain with upstream statuses', async () => {
    const reviews = await get(pages.v3, '/api/v1/products/0/reviews');
    expect(reviews.status).toBe(200);
    expect(JSON.parse(reviews.body).reviews[0].rating).toEqual({ stars: 5, color: 'red' });
    expect(await get(pages.v1, '/api/v1/products/abc')).toEqual({ status: 400, body: '{"error": "Sorry, product details are currently unavailable for this book."}' });
    expect((await get(pages.v1, '/api/v1/products/abc/reviews')).status).toBe(404);
    expect(await get(pages.v1, '/api/v1/products/0/ratings')).toEqual({ status: 200, body: '{"id": 0, "ratings": {"Reviewer1": 5, "Reviewer2": 4}}' });
  });

  it('jason: login cookie makes end-user reach ratings; trace headers arrive unchanged', async () => {
    const login = await fetch(`${pages.jason.origin}/login`, {
      method: 'POST',
      body: 'username=jason&passwd=',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `${pages.jason.origin}/productpage` },
      redirect: 'manual',
    });
    expect(login.status).toBe(302);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const trace = {
      'x-request-id': '3b1e6a2c-int-test',
      'x-b3-traceid': '463ac35c9f6413ad48485a3953bb6124',
      'x-b3-spanid': 'a2fb4a1d1a96d312',
      'x-b3-sampled': '1',
      traceparent: '00-463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-01',
      tracestate: 'vendor=value',
    };
    const page = await get(pages.jason, '/productpage', { cookie, ...trace });
    expect(page.body).toContain('<p class="text-base font-medium text-gray-50">jason</p>');
    expect(countFullStars(page.body)).toBe(9);
    const seen = recorder.requests.at(-1)!;
    expect(seen.url).toBe('/ratings/0');
    expect(seen.headers['end-user']).toBe('jason');
    for (const [name, value] of Object.entries(trace)) expect([name, seen.headers[name]]).toEqual([name, value]);

    recorder.requests.length = 0;
    await get(pages.jason, '/productpage', { 'end-user': 'jason' });
    expect(recorder.requests[0]?.headers['end-user']).toBeUndefined();
  });

  it('details down and a hung reviews: both error blocks after ~6 s (2 x 3 s)', async () => {
    const started = Date.now();
    const { status, body } = await get(pages.faults, '/productpage');
    const elapsed = Date.now() - started;
    expect(status).toBe(200);
    expect(body).toContain('<p class="text-2xl text-red-500">Error fetching product details</p>');
    expect(body).toContain('Sorry, product details are currently unavailable for this book.');
    expect(body).toContain('<p class="text-2xl text-red-500">Error fetching product reviews</p>');
    expect(body).toContain('Sorry, product reviews are currently unavailable for this book.');
    expect(elapsed).toBeGreaterThanOrEqual(5500);
    expect(elapsed).toBeLessThanOrEqual(7500);
  }, 20_000);

  it('answers health on every service', async () => {
    const bodies = await Promise.all(apps.map((app) => get(app, '/health')));
    expect(bodies.every((b) => b.status === 200)).toBe(true);
  });
});

import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

describe('HTTP routing', () => {
  let v1: Upstream;
  let v2: Upstream;
  let ratings: Upstream;
  let p: TestProxy;
  let port: number;

  beforeAll(async () => {
    [v1, v2, ratings] = await Promise.all([startUpstream('v1'), startUpstream('v2'), startUpstream('ratings')]);
    const reviewsRoutes = [
      route({ prefix: '/', headers: [{ name: 'end-user', string_match: { exact: 'jason' } }] }, { cluster: svc('reviews', 'v2') }, { name: 'jason' }),
      route({ path: '/split' }, { weighted_clusters: { clusters: [{ name: svc('reviews', 'v1'), weight: { value: 80 } }, { name: svc('reviews', 'v2'), weight: { value: 20 } }] } }),
      route({ prefix: '/direct' }, { direct_response: { status: 418, body: { inline_string: 'teapot' } } }),
      route({ prefix: '/old' }, { redirect: { path_redirect: '/new', response_code: 'FOUND' } }),
      route({ safe_regex: { regex: '/re/[0-9]+' } }, { cluster: svc('reviews', 'v2') }),
      route({ prefix: '/q', query_parameters: [{ name: 'u', string_match: { exact: 'x' } }] }, { cluster: svc('reviews', 'v2') }),
      route({ prefix: '/m', headers: [{ name: ':method', string_match: { exact: 'POST' } }] }, { cluster: svc('reviews', 'v2') }),
      route({ prefix: '/CASE', case_sensitive: { value: false } }, { cluster: svc('reviews', 'v2') }),
      route({ prefix: '/api/' }, { cluster: svc('reviews', 'v1'), prefix_rewrite: '/' }),
      route(
        { prefix: '/' },
        { cluster: svc('reviews', 'v1') },
        {
          name: 'default',
          request_headers_to_add: [{ header: { key: 'x-added', value: 'yes' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
          request_headers_to_remove: ['x-secret'],
          response_headers_to_add: [{ header: { key: 'x-resp', value: 'r' } }],
          response_headers_to_remove: ['x-upstream'],
        },
      ),
    ];
    p = await startProxy({
      clusters: [edsCluster(svc('reviews', 'v1')), edsCluster(svc('reviews', 'v2')), edsCluster(svc('ratings'))],
      endpoints: [
        assignment(svc('reviews', 'v1'), [{ port: v1.port }]),
        assignment(svc('reviews', 'v2'), [{ port: v2.port }]),
        assignment(svc('ratings'), [{ port: ratings.port }]),
      ],
      listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
      routes: [
        routeConfig('9080', [
          vhost('reviews.default.svc.cluster.local:9080', ['reviews', 'reviews:9080', 'reviews.default.svc.cluster.local'], reviewsRoutes),
          vhost('ratings.default.svc.cluster.local:9080', ['ratings', 'ratings:9080', '*.ratings.example', 'rat*'], [route({ prefix: '/' }, { cluster: svc('ratings') })]),
        ]),
      ],
    });
    port = p.port('0.0.0.0_9080');
  });

  afterAll(async () => {
    await p.proxy.close();
    await Promise.all([v1.close(), v2.close(), ratings.close()]);
  });

  it('routes by host with or without port, and by wildcard domains', async () => {
    expect((await send(port, { host: 'ratings:9080' })).headers['x-upstream']).toBe('ratings');
    expect((await send(port, { host: 'ratings' })).headers['x-upstream']).toBe('ratings');
    expect((await send(port, { host: 'a.ratings.example:9080' })).headers['x-upstream']).toBe('ratings');
    expect((await send(port, { host: 'ratings-other' })).headers['x-upstream']).toBe('ratings');
    const r = await send(port, { host: 'reviews.default.svc.cluster.local:9080' });
    expect(r.json()['name']).toBe('v1');
  });

  it('answers 404 with an empty body when no virtual host or route matches', async () => {
    const r = await send(port, { host: 'unknown:9080' });
    expect(r.status).toBe(404);
    expect(r.body).toBe('');
    expect(r.headers['server']).toBe('envoy');
  });

  it('matches headers (exact, :method), regex paths, query parameters and case-insensitive prefixes', async () => {
    expect((await send(port, { headers: { 'end-user': 'jason' } })).json()['name']).toBe('v2');
    expect((await send(port, { headers: { 'end-user': 'Jason' } })).json()['name']).toBe('v1');
    expect((await send(port, { path: '/re/42' })).json()['name']).toBe('v2');
    expect((await send(port, { path: '/re/4x' })).json()['name']).toBe('v1');
    expect((await send(port, { path: '/q?u=x' })).json()['name']).toBe('v2');
    expect((await send(port, { path: '/q?u=y' })).json()['name']).toBe('v1');
    expect((await send(port, { path: '/m', method: 'POST', body: 'hi' })).json()).toMatchObject({ name: 'v2', body: 'hi' });
    expect((await send(port, { path: '/case/x' })).json()['name']).toBe('v2');
  });

  it('splits weighted clusters per request within tolerance (80/20 ± 10%)', async () => {
    let v2Count = 0;
    for (let i = 0; i < 200; i++) if ((await send(port, { path: '/split' })).json()['name'] === 'v2') v2Count++;
    expect(v2Count / 200).toBeGreaterThan(0.1);
    expect(v2Count / 200).toBeLessThan(0.3);
  });

  it('serves direct responses and redirects', async () => {
    const d = await send(port, { path: '/direct' });
    expect([d.status, d.body]).toEqual([418, 'teapot']);
    const r = await send(port, { path: '/old?a=1', host: 'reviews:9080' });
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe('http://reviews:9080/new?a=1');
  });

  it('rewrites prefixes and records the original path', async () => {
    const r = (await send(port, { path: '/api/reviews/0' })).json<{ url: string; headers: Record<string, string> }>();
    expect(r.url).toBe('/reviews/0');
    expect(r.headers['x-envoy-original-path']).toBe('/api/reviews/0');
  });

  it('adds and removes request and response headers, and sets Envoy headers', async () => {
    const r = await send(port, { headers: { 'x-secret': 's', 'x-added': 'old', connection: 'keep-alive', 'x-request-id': 'abc' } });
    const seen = r.json<{ headers: Record<string, string> }>().headers;
    expect(seen['x-added']).toBe('yes');
    expect(seen['x-secret']).toBeUndefined();
    expect(seen['x-request-id']).toBe('abc');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['host']).toBe('reviews:9080');
    expect(r.headers['x-resp']).toBe('r');
    expect(r.headers['x-upstream']).toBeUndefined();
    expect(r.headers['server']).toBe('envoy');
    expect(Number(r.headers['x-envoy-upstream-service-time'])).toBeGreaterThanOrEqual(0);
  });

  it('generates a uuid v4 x-request-id when absent', async () => {
    const seen = (await send(port)).json<{ headers: Record<string, string> }>().headers;
    expect(seen['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('strips x-envoy-upstream-rq-timeout-ms before the upstream', async () => {
    const seen = (await send(port, { headers: { 'x-envoy-upstream-rq-timeout-ms': '5000' } })).json<{ headers: Record<string, string> }>().headers;
    expect(seen['x-envoy-upstream-rq-timeout-ms']).toBeUndefined();
    expect(seen['x-envoy-expected-rq-timeout-ms']).toBe('5000');
  });
});

import type { TestProxy, Upstream } from '../../testing/harness';
import { deadPort, send, startUpstream } from '../../testing/harness';
import { counter } from './ext-authz/test-authorizers';
import { ISTIO_RATE_LIMIT, type TestRls, startRateLimitProxy, startTestRls } from './ratelimit/test-rls';

/**
 * envoy.filters.http.ratelimit against a real grpc-js RateLimitService (protobufjs decodes what the
 * proxy encodes by hand), reached through a STRICT_DNS cluster with http2_protocol_options, as
 * Istio's rate-limit task's EnvoyFilter adds it.
 */
const PATH_ACTION = [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }];
const CLUSTER = 'outbound|9080||productpage.default.svc.cluster.local';

describe('global rate limit (envoy.filters.http.ratelimit)', () => {
  let app: Upstream;
  const rlss: TestRls[] = [];
  const proxies: TestProxy[] = [];
  const setup = async (limit: number, mode: 'count' | 'hang' | 'fail', config = ISTIO_RATE_LIMIT, routeLimits?: object[]): Promise<{ p: TestProxy; rls: TestRls }> => {
    const rls = await startTestRls(limit, mode);
    rlss.push(rls);
    const p = await startRateLimitProxy(app.port, rls.port, config, PATH_ACTION, routeLimits as never);
    proxies.push(p);
    return { p, rls };
  };
  beforeAll(async () => {
    app = await startUpstream('productpage');
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.proxy.close();
    for (const r of rlss.splice(0)) await r.close();
    app.seen.length = 0;
  });
  afterAll(async () => app.close());

  it("Istio's task: PATH=/productpage once per window, then 429 with x-envoy-ratelimited; other paths pass", async () => {
    const { p, rls } = await setup(1, 'count');
    const port = p.port('0.0.0.0_9080');
    const first = await send(port, { path: '/productpage' });
    expect([first.status, first.headers['x-ratelimit-remaining']]).toEqual([200, 'some']);
    const second = await send(port, { path: '/productpage' });
    expect([second.status, second.headers['x-envoy-ratelimited'], second.body]).toEqual([429, 'true', '']);
    expect((await send(port, { path: '/static/x.css' })).status).toBe(200);
    expect(rls.seen[0]).toEqual({ domain: 'productpage-ratelimit', descriptors: [{ entries: [{ key: 'PATH', value: '/productpage' }] }], hits_addend: 1 });
    expect(app.seen).toHaveLength(2);
    expect(await counter(p, `cluster.${CLUSTER}.ratelimit.ok`)).toBe(2);
    expect(await counter(p, `cluster.${CLUSTER}.ratelimit.over_limit`)).toBe(1);
  });

  it('a route with rate_limits of its own replaces the virtual host ones; every action kind builds its entry', async () => {
    const actions = [
      { generic_key: { descriptor_value: 'gk' } },
      { remote_address: {} },
      { header_value_match: { descriptor_value: 'pp', headers: [{ name: ':path', string_match: { prefix: '/PRODUCT', ignore_case: true } }] } },
      { request_headers: { header_name: 'x-user', descriptor_key: 'user', skip_if_absent: true } },
      { destination_cluster: {} },
    ];
    const { p, rls } = await setup(100, 'count', ISTIO_RATE_LIMIT, [{ actions }]);
    expect((await send(p.port('0.0.0.0_9080'), { path: '/productpage' })).status).toBe(200);
    const entries = (rls.seen[0] as { descriptors: { entries: unknown[] }[] }).descriptors.map((d) => d.entries);
    expect(entries).toEqual([
      [
        { key: 'generic_key', value: 'gk' },
        { key: 'remote_address', value: '127.0.0.1' },
        { key: 'header_match', value: 'pp' },
        { key: 'destination_cluster', value: CLUSTER },
      ],
    ]);
  });

  it('rate limit service failing: failure_mode_deny answers 500 (RLSE); without it the request goes on, counted', async () => {
    const deny = await setup(1, 'fail');
    const r = await send(deny.p.port('0.0.0.0_9080'), { path: '/productpage' });
    expect(r.status).toBe(500);
    expect(await counter(deny.p, `cluster.${CLUSTER}.ratelimit.error`)).toBe(1);
    const open = await setup(1, 'fail', { ...ISTIO_RATE_LIMIT, failure_mode_deny: false });
    expect((await send(open.p.port('0.0.0.0_9080'), { path: '/productpage' })).status).toBe(200);
    expect(await counter(open.p, `cluster.${CLUSTER}.ratelimit.failure_mode_allowed`)).toBe(1);
  });

  it('no answer within the timeout (hang) or nobody listening: fail open by default', async () => {
    const hang = await setup(1, 'hang', { ...ISTIO_RATE_LIMIT, failure_mode_deny: false, timeout: '0.2s' as never });
    const started = Date.now();
    expect((await send(hang.p.port('0.0.0.0_9080'), { path: '/productpage' })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    const dead = await deadPort();
    const p = await startRateLimitProxy(app.port, dead, { ...ISTIO_RATE_LIMIT, failure_mode_deny: false }, PATH_ACTION);
    proxies.push(p);
    expect((await send(p.port('0.0.0.0_9080'), { path: '/productpage' })).status).toBe(200);
  });
});

import * as grpc from '@grpc/grpc-js';
import type { Listener, TypedConfig } from './config/envoy-types';
import { KNOWN_TYPES } from './config/proto';
import type { Clock, ProxyRuntime } from './runtime';
import { assignment, edsCluster, faultConfig, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

/** The HTTP filter stack: http_filters compiled through the registry, filters with pinned chance and time. */

/** A runtime whose dice and clock the test sets. */
function pinned(): ProxyRuntime & { dice: number[]; advance(ms: number): void } {
  let t = 1_000;
  const dice: number[] = [];
  const clock: Clock = { now: () => t, monotonic: () => t };
  return {
    dice,
    clock,
    random: () => dice.shift() ?? 0.5,
    advance: (ms) => {
      t += ms;
    },
  };
}

function withFilters(l: Listener, filters: readonly object[]): Listener {
  const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
  hcm.http_filters = [...filters];
  return l;
}

const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': KNOWN_TYPES.router } };
const FAULT = { name: 'envoy.filters.http.fault', typed_config: { '@type': KNOWN_TYPES.fault } };

/** Istio's local rate limit task, as its EnvoyFilter writes it (TypedStruct), with a smaller bucket. */
function localRateLimit(maxTokens: number, fillSeconds: number): object {
  return {
    name: 'envoy.filters.http.local_ratelimit',
    typed_config: {
      '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
      type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
      value: {
        stat_prefix: 'http_local_rate_limiter',
        token_bucket: { max_tokens: maxTokens, tokens_per_fill: { value: maxTokens }, fill_interval: { seconds: fillSeconds } },
        filter_enabled: { runtime_key: 'local_rate_limit_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } },
        filter_enforced: { runtime_key: 'local_rate_limit_enforced', default_value: { numerator: 100, denominator: 'HUNDRED' } },
        response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }],
      },
    },
  };
}

describe('HTTP filter stack', () => {
  let up: Upstream;
  let other: Upstream;
  const proxies: TestProxy[] = [];
  beforeAll(async () => {
    up = await startUpstream('reviews');
    other = await startUpstream('reviews-v2');
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.proxy.close();
  });
  afterAll(async () => {
    await up.close();
    await other.close();
  });

  async function proxyWith(filters: readonly object[], runtime: ProxyRuntime, perFilter?: Record<string, TypedConfig>): Promise<TestProxy> {
    const p = await startProxy(
      {
        clusters: [edsCluster(svc('reviews')), edsCluster(svc('reviews', 'v2'))],
        endpoints: [assignment(svc('reviews'), [{ port: up.port }]), assignment(svc('reviews', 'v2'), [{ port: other.port }])],
        listeners: [withFilters(httpListener('0.0.0.0_9080', 9080, '9080'), filters)],
        routes: [
          routeConfig('9080', [
            vhost('reviews', ['*'], [
              route({ prefix: '/weighted' }, { weighted_clusters: { clusters: [{ name: svc('reviews'), weight: { value: 25 } }, { name: svc('reviews', 'v2'), weight: { value: 75 } }] } }),
              route({ prefix: '/' }, { cluster: svc('reviews') }, perFilter ? { typed_per_filter_config: perFilter } : {}),
            ]),
          ]),
        ],
      },
      { runtime },
    );
    proxies.push(p);
    return p;
  }

  it('NACKs unknown filters naming them, skips is_optional ones, and requires the router last', async () => {
    const p = await proxyWith([FAULT, ROUTER], pinned());
    const lua = { name: 'envoy.filters.http.lua', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua' } };
    const apply = (filters: object[]): Promise<void> => p.proxy.apply('LDS', [withFilters(httpListener('0.0.0.0_9080', 9080, '9080'), filters)]);
    expect(() => apply([lua, ROUTER])).toThrow(/listener 0.0.0.0_9080 .*unknown http filter envoy.filters.http.lua/);
    expect(() => apply([ROUTER, FAULT])).toThrow(/http filter envoy.filters.http.fault after envoy.filters.http.router/);
    expect(() => apply([FAULT])).toThrow(/the last http filter must be envoy.filters.http.router/);
    await apply([{ ...lua, is_optional: true }, FAULT, ROUTER]);
    expect((await send(p.port('0.0.0.0_9080'))).status).toBe(200);
  });

  it('picks weighted clusters and rolls fault percentages with the injected dice, exactly', async () => {
    const rt = pinned();
    const p = await proxyWith([FAULT, ROUTER], rt, faultConfig({ abortStatus: 418, percent: 50 }));
    const port = p.port('0.0.0.0_9080');
    rt.dice.push(0.2, 0.3); // 0.2 × 100 = 20 < 25 → reviews; 30 ≥ 25 → v2
    expect((await send(port, { path: '/weighted' })).json()).toMatchObject({ name: 'reviews' });
    expect((await send(port, { path: '/weighted' })).json()).toMatchObject({ name: 'reviews-v2' });
    rt.dice.push(0.49, 0.5); // abort when the roll is under 50%
    const aborted = await send(port);
    expect([aborted.status, aborted.body]).toEqual([418, 'fault filter abort']);
    expect((await send(port)).status).toBe(200);
  });

  it('local_ratelimit: 429 local_rate_limited with x-local-rate-limit once the bucket is empty, refilled by the clock, counted', async () => {
    const rt = pinned();
    const p = await proxyWith([localRateLimit(2, 60), FAULT, ROUTER], rt);
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    const port = p.port('0.0.0.0_9080');
    const before = up.seen.length;
    expect((await send(port)).status).toBe(200);
    expect((await send(port)).status).toBe(200);
    const limited = await send(port);
    expect([limited.status, limited.body, limited.headers['x-local-rate-limit']]).toEqual([429, 'local_rate_limited', 'true']);
    expect(up.seen.length - before).toBe(2); // the limited request never went upstream
    rt.advance(59_999);
    expect((await send(port)).status).toBe(429);
    rt.advance(1);
    expect((await send(port)).status).toBe(200);
    const stats = (await send(admin.port, { path: '/stats' })).body;
    for (const [name, n] of [['enabled', 5], ['ok', 3], ['rate_limited', 2], ['enforced', 2]] as const) {
      expect(stats).toContain(`http_local_rate_limiter.http_local_rate_limit.${name}: ${n}\n`);
    }
  });

  it('local_ratelimit per route: a route config of its own overrides the filter-level bucket', async () => {
    const rt = pinned();
    const perRoute = localRateLimit(1, 10) as { typed_config: TypedConfig };
    const p = await proxyWith([localRateLimit(100, 60), ROUTER], rt, { 'envoy.filters.http.local_ratelimit': perRoute.typed_config });
    const port = p.port('0.0.0.0_9080');
    expect((await send(port)).status).toBe(200);
    expect((await send(port)).status).toBe(429);
    expect((await send(port, { path: '/weighted' })).status).toBe(200); // the other route uses the filter's bucket
  });

  it('NACKs a local_ratelimit without stat_prefix or with a fill_interval under 50ms, naming the field', async () => {
    const p = await proxyWith([ROUTER], pinned());
    const bad = (value: object): object => ({ name: 'rl', typed_config: { '@type': KNOWN_TYPES.localRateLimit, ...value } });
    const apply = (f: object): Promise<void> => p.proxy.apply('LDS', [withFilters(httpListener('0.0.0.0_9080', 9080, '9080'), [f, ROUTER])]);
    expect(() => apply(bad({}))).toThrow(/http filter rl: local_ratelimit stat_prefix is required/);
    expect(() => apply(bad({ stat_prefix: 's', token_bucket: { max_tokens: 1, fill_interval: { nanos: 1e6 } } }))).toThrow(/fill_interval must be at least 50ms/);
  });
});

describe('fault filter gRPC abort through the gateway', () => {
  it('answers grpc_status aborts with a trailers-only gRPC status (HTTP 200), as Envoy does', async () => {
    const identity = (b: Buffer): Buffer => b;
    const service: grpc.ServiceDefinition = {
      Echo: { path: '/test.Echo/Echo', requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
    };
    const perFilter = {
      'envoy.filters.http.fault': { '@type': KNOWN_TYPES.fault, abort: { grpc_status: 14, percentage: { numerator: 100, denominator: 'HUNDRED' } } },
    };
    const cluster = svc('grpc');
    const p = await startProxy(
      {
        clusters: [edsCluster(cluster)],
        endpoints: [assignment(cluster, [{ port: 1 }])],
        listeners: [httpListener('0.0.0.0_8080', 8080, 'http.8080')],
        routes: [routeConfig('http.8080', [vhost('grpc', ['*'], [route({ prefix: '/' }, { cluster }, { typed_per_filter_config: perFilter })])])],
      },
      { mode: 'router' },
    );
    const Client = grpc.makeGenericClientConstructor(service, 'Echo');
    const client = new Client(`127.0.0.1:${p.port('0.0.0.0_8080')}`, grpc.credentials.createInsecure());
    try {
      const call = new Promise<void>((resolve, reject) =>
        (client as unknown as { Echo: (m: Buffer, cb: (e: grpc.ServiceError | null) => void) => void }).Echo(Buffer.from('x'), (e) => (e ? reject(e) : resolve())),
      );
      await expect(call).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'fault filter abort' });
      const plain = await send(p.port('0.0.0.0_8080'));
      expect([plain.status, plain.body]).toEqual([200, 'fault filter abort']);
    } finally {
      client.close();
      await p.proxy.close();
    }
  });
});

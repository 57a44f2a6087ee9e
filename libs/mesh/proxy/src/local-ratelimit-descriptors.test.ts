import type { Listener, TypedConfig } from './config/envoy-types';
import { KNOWN_TYPES } from './config/proto';
import type { Clock, ProxyRuntime } from './runtime';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

/**
 * local_ratelimit with descriptors and x-ratelimit headers, as Istio's samples/ratelimit/local-rate-limit-service.yaml
 * configures it: the filter with only a stat_prefix, and on the route `rate_limits` (remote_address; a
 * header_value_match on `:path` prefix /productpage) plus a per-route config whose default bucket is 100/min and
 * whose `header_match: productpage` descriptor is 10/min (here 3 and 2 tokens).
 */
function pinnedClock(): ProxyRuntime & { advance(ms: number): void } {
  let t = 5_000;
  const clock: Clock = { now: () => t, monotonic: () => t };
  return { clock, random: () => 0.5, advance: (ms) => void (t += ms) };
}

const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': KNOWN_TYPES.router } };
const FILTER = {
  name: 'envoy.filters.http.local_ratelimit',
  typed_config: { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: KNOWN_TYPES.localRateLimit, value: { stat_prefix: 'http_local_rate_limiter' } },
};
const always = { runtime_key: 'test_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } };
const bucket = (n: number): object => ({ max_tokens: n, tokens_per_fill: n, fill_interval: '60s' });

function perRoute(extra: Record<string, unknown> = {}): TypedConfig {
  return {
    '@type': KNOWN_TYPES.localRateLimit,
    stat_prefix: 'test_enabled',
    token_bucket: bucket(3),
    enable_x_ratelimit_headers: 'DRAFT_VERSION_03',
    filter_enabled: always,
    filter_enforced: always,
    response_headers_to_add: [{ append: false, header: { key: 'x-local-rate-limit', value: 'true' } }],
    descriptors: [{ entries: [{ key: 'header_match', value: 'productpage' }], token_bucket: bucket(2) }],
    ...extra,
  } as unknown as TypedConfig;
}

const RATE_LIMITS = [
  { actions: [{ remote_address: {} }] },
  { actions: [{ header_value_match: { descriptor_value: 'productpage', expect_match: true, headers: [{ name: ':path', string_match: { prefix: '/productpage', ignore_case: true } }] } }] },
];

describe('local_ratelimit descriptors (Istio local-rate-limit-service.yaml)', () => {
  let up: Upstream;
  const proxies: TestProxy[] = [];
  beforeAll(async () => {
    up = await startUpstream('productpage');
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.proxy.close();
  });
  afterAll(async () => up.close());

  const routesWith = (config: TypedConfig): ReturnType<typeof routeConfig>[] => {
    const r = route({ prefix: '/' }, { cluster: svc('productpage'), rate_limits: RATE_LIMITS } as never, { typed_per_filter_config: { 'envoy.filters.http.local_ratelimit': config } });
    return [routeConfig('9080', [vhost('productpage', ['*'], [r])])];
  };

  async function proxyWith(config: TypedConfig, runtime: ProxyRuntime): Promise<TestProxy> {
    const base = httpListener('0.0.0.0_9080', 9080, '9080') as Listener & { filter_chains: { filters: { typed_config: { http_filters: object[] } }[] }[] };
    base.filter_chains[0]!.filters[0]!.typed_config.http_filters = [FILTER, ROUTER];
    const p = await startProxy(
      {
        clusters: [edsCluster(svc('productpage'))],
        endpoints: [assignment(svc('productpage'), [{ port: up.port }])],
        listeners: [base],
        routes: routesWith(config),
      },
      { runtime },
    );
    proxies.push(p);
    return p;
  }

  it('/productpage takes tokens from its descriptor bucket (2), other paths from the default bucket (3); each refills', async () => {
    const rt = pinnedClock();
    const port = (await proxyWith(perRoute(), rt)).port('0.0.0.0_9080');
    const codes = async (path: string, n: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await send(port, { path })).status);
      return out;
    };
    expect(await codes('/productpage', 3)).toEqual([200, 200, 429]);
    expect(await codes('/PRODUCTPAGE?u=normal', 1)).toEqual([429]); // ignore_case, the same bucket
    expect(await codes('/api/v1/products', 4)).toEqual([200, 200, 200, 429]);
    rt.advance(60_000);
    expect(await codes('/productpage', 1)).toEqual([200]);
    expect(await codes('/static/x.css', 1)).toEqual([200]);
  });

  it('DRAFT_VERSION_03: x-ratelimit-limit / -remaining / -reset of the bucket used, on 200s and on the 429', async () => {
    const rt = pinnedClock();
    const port = (await proxyWith(perRoute(), rt)).port('0.0.0.0_9080');
    const heads = async (path: string): Promise<unknown[]> => {
      const r = await send(port, { path });
      return [r.status, r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining'], r.headers['x-ratelimit-reset']];
    };
    expect(await heads('/productpage')).toEqual([200, '2', '1', '60']);
    rt.advance(15_500);
    expect(await heads('/productpage')).toEqual([200, '2', '0', '45']);
    expect(await heads('/productpage')).toEqual([429, '2', '0', '45']);
    expect(await heads('/reviews')).toEqual([200, '3', '2', '45']);
  });

  it('without the headers option no x-ratelimit-*; NACKs duplicate descriptors, empty entries and vh_rate_limits other than OVERRIDE', async () => {
    const rt = pinnedClock();
    const p = await proxyWith(perRoute({ enable_x_ratelimit_headers: 'OFF' }), rt);
    const r = await send(p.port('0.0.0.0_9080'), { path: '/productpage' });
    expect([r.status, r.headers['x-ratelimit-limit']]).toEqual([200, undefined]);
    // NACKed on the running proxy (a proxy whose start failed half-way would keep its listener bound).
    const nack = (extra: Record<string, unknown>): (() => Promise<void>) => () => p.proxy.apply('RDS', routesWith(perRoute(extra)));
    const dup = { entries: [{ key: 'header_match', value: 'productpage' }], token_bucket: bucket(1) };
    expect(nack({ descriptors: [dup, dup] })).toThrow(/descriptors\[1\] duplicates an earlier descriptor \(header_match=productpage\)/);
    expect(nack({ descriptors: [{ entries: [], token_bucket: bucket(1) }] })).toThrow(/descriptors\[0\]\.entries must not be empty/);
    expect(nack({ descriptors: [{ entries: [{ key: 'k', value: 'v' }] }] })).toThrow(/descriptors\[0\]\.token_bucket is required/);
    expect(nack({ vh_rate_limits: 'INCLUDE' })).toThrow(/vh_rate_limits INCLUDE is not supported/);
    // The last good table still serves.
    expect((await send(p.port('0.0.0.0_9080'), { path: '/productpage' })).status).toBe(200);
  });
});

import type { Cluster } from './config/envoy-types';
import { KNOWN_TYPES } from './config/proto';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, send, startProxy, startUpstream } from './testing/harness';

/** An upstream that answers after `?ms=`. */
const slow: Parameters<typeof startUpstream>[1] = (req, res) => {
  const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? '0');
  setTimeout(() => res.end('slow done'), ms);
};

function proxyFor(cluster: Cluster, port: number): Promise<TestProxy> {
  return startProxy({
    clusters: [cluster],
    endpoints: [assignment(cluster.name ?? '', [{ port }])],
    listeners: [httpListener('0.0.0.0_8000', 8000, '8000')],
    routes: [routeConfig('8000', [vhost('httpbin', ['*'], [route({ prefix: '/' }, { cluster: cluster.name })])])],
  });
}

/** `cluster.<c>.<stat>: N` lines of /stats, for one cluster. */
async function statsOf(admin: number, c: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await send(admin, { path: '/stats' })).body.split('\n')) {
    if (!line.startsWith(`cluster.${c}.`)) continue;
    const [name = '', value = ''] = line.slice(c.length + 9).split(': ');
    out[name] = Number(value);
  }
  return out;
}

describe("circuit breaker stats under Envoy's names (Istio's circuit-breaking task)", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  async function setup(thresholds: NonNullable<Cluster['circuit_breakers']>['thresholds'], extra: Partial<Cluster> = {}): Promise<{ c: string; port: number; admin: number; prom: number }> {
    const u = await startUpstream('httpbin', slow);
    closers.push(() => u.close());
    const c = svc('httpbin', '', 8000);
    const p = await proxyFor(edsCluster(c, { circuit_breakers: { thresholds }, ...extra }), u.port);
    closers.push(() => p.proxy.close());
    const admin = (await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 })).port;
    const prom = (await p.proxy.startPrometheus({ host: '127.0.0.1', port: 0 })).port;
    return { c, port: p.port('0.0.0.0_8000'), admin, prom };
  }

  it('pending_total / pending_overflow count what the breaker did (Envoy: pending until a connection is ready); *_open while it is full', async () => {
    const { c, port, admin, prom } = await setup([{ max_connections: { value: 1 }, max_pending_requests: { value: 1 } }]);
    const inFlight = [0, 1, 2, 3].map(() => send(port, { path: '/?ms=400' }));
    await new Promise((r) => setTimeout(r, 150));
    const during = await statsOf(admin, c);
    expect(during).toMatchObject({
      'circuit_breakers.default.cx_open': 1,
      'circuit_breakers.default.rq_pending_open': 1,
      'circuit_breakers.default.rq_open': 0,
      'circuit_breakers.high.rq_pending_open': 0,
      upstream_rq_pending_active: 1,
    });
    expect(during['circuit_breakers.default.remaining_pending']).toBeUndefined();
    const codes = (await Promise.all(inFlight)).map((r) => r.status).sort();
    expect(codes).toEqual([200, 200, 503, 503]);
    const after = await statsOf(admin, c);
    expect(after).toMatchObject({
      upstream_rq_pending_overflow: 2,
      // Envoy's count: the first waited for its new connection's connect, the second in the queue.
      upstream_rq_pending_total: 2,
      upstream_cx_overflow: 1,
      upstream_rq_pending_failure_eject: 0,
      'circuit_breakers.default.rq_pending_open': 0,
      'circuit_breakers.default.cx_pool_open': 0,
    });
    const text = (await send(prom, { path: '/stats/prometheus' })).body;
    expect(text).toContain(`envoy_cluster_circuit_breakers_default_rq_pending_open{cluster_name="${c}"} 0`);
    expect(text).toContain(`envoy_cluster_upstream_rq_pending_overflow{cluster_name="${c}"} 2`);
  });

  it("Istio's task rule (1 connection, 1 pending, 1 request per connection): two clients in a loop overflow, and the stats account for every request", async () => {
    const { c, port, admin } = await setup([{ max_connections: { value: 1 }, max_pending_requests: { value: 1 } }], {
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': KNOWN_TYPES.httpProtocolOptions, common_http_protocol_options: { max_requests_per_connection: { value: 1 } } },
      },
    });
    const client = async (): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 25; i++) out.push((await send(port, { path: '/?ms=2' })).status);
      return out;
    };
    const codes = (await Promise.all([client(), client()])).flat();
    const ok = codes.filter((s) => s === 200).length;
    const refused = codes.filter((s) => s === 503).length;
    expect(ok + refused).toBe(50);
    expect(ok).toBeGreaterThan(0);
    // At least the first pair: one request pends on the new connection's connect, the other finds the slot taken.
    expect(refused).toBeGreaterThan(0);
    const stats = await statsOf(admin, c);
    expect(stats['upstream_rq_pending_overflow']).toBe(refused);
    // Each admitted request waited for a connection of its own (one request per connection).
    expect(stats['upstream_rq_pending_total']).toBe(ok);
    expect(stats['upstream_rq_pending_active']).toBe(0);
  });

  it('track_remaining publishes remaining_* per priority', async () => {
    const { c, port, admin } = await setup([
      { max_connections: { value: 3 }, max_pending_requests: { value: 5 }, max_requests: { value: 7 }, track_remaining: true },
      { priority: 'HIGH', max_requests: { value: 9 }, track_remaining: true },
    ]);
    const inFlight = send(port, { path: '/?ms=300' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await statsOf(admin, c)).toMatchObject({
      'circuit_breakers.default.remaining_rq': 6,
      'circuit_breakers.default.remaining_pending': 5,
      'circuit_breakers.default.remaining_retries': 3,
      'circuit_breakers.high.remaining_rq': 9,
      'circuit_breakers.high.remaining_cx': 1024,
    });
    expect((await inFlight).status).toBe(200);
    expect((await statsOf(admin, c))['circuit_breakers.default.remaining_rq']).toBe(7);
  });
});

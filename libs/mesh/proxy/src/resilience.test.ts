import type { Cluster } from './config/envoy-types';
import { ISTIO_RETRY, assignment, edsCluster, faultConfig, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, deadPort, send, sleep, startProxy, startUpstream } from './testing/harness';

const slow: Parameters<typeof startUpstream>[1] = (req, res) => {
  const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? '0');
  setTimeout(() => res.end('slow done'), ms);
};

function failing(status: number): Parameters<typeof startUpstream>[1] {
  return (_req, res) => {
    res.writeHead(status);
    res.end('bad');
  };
}

async function oneRouteProxy(cluster: Cluster, eps: { port: number }[], extraRoute: object = {}): Promise<TestProxy> {
  return startProxy({
    clusters: [cluster],
    endpoints: [assignment(cluster.name ?? '', eps)],
    listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
    routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: cluster.name, ...extraRoute })])])],
  });
}

/** /stats parsed to cluster → stat → value. */
async function clusterStats(admin: number): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const line of (await send(admin, { path: '/stats' })).body.split('\n')) {
    const m = /^cluster\.(.+)\.([a-z0-9_]+): (\d+)$/.exec(line);
    if (m) (out[m[1]!] ??= {})[m[2]!] = Number(m[3]);
  }
  return out;
}

describe('timeouts, retries, faults, circuit breaking, outlier detection', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  async function withAdmin(p: TestProxy): Promise<number> {
    closers.push(() => p.proxy.close());
    return (await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 })).port;
  }
  async function upstream(name: string, h?: Parameters<typeof startUpstream>[1]): Promise<Upstream> {
    const u = await startUpstream(name, h);
    closers.push(() => u.close());
    return u;
  }

  it('route timeout → 504 upstream request timeout (UT); the request header overrides it', async () => {
    const u = await upstream('slow', slow);
    const c = svc('reviews');
    const p = await oneRouteProxy(edsCluster(c), [{ port: u.port }], { timeout: { seconds: 0, nanos: 200e6 } });
    const admin = await withAdmin(p);
    const t0 = Date.now();
    const r = await send(p.port('0.0.0.0_9080'), { path: '/?ms=1000' });
    expect([r.status, r.body]).toEqual([504, 'upstream request timeout']);
    expect(Date.now() - t0).toBeLessThan(900);
    const ok = await send(p.port('0.0.0.0_9080'), { path: '/?ms=300', headers: { 'x-envoy-upstream-rq-timeout-ms': '2000' } });
    expect([ok.status, ok.body]).toEqual([200, 'slow done']);
    const stats = await clusterStats(admin);
    expect(stats[c]?.['upstream_rq_timeout']).toBe(1);
  });

  it('retries a connect failure on another host (previous_hosts), then succeeds', async () => {
    const live = await upstream('live');
    const dead = await deadPort();
    const c = svc('reviews');
    const p = await oneRouteProxy(edsCluster(c, { lb_policy: 'ROUND_ROBIN' }), [{ port: dead }, { port: live.port }], { retry_policy: ISTIO_RETRY });
    const admin = await withAdmin(p);
    for (let i = 0; i < 4; i++) expect((await send(p.port('0.0.0.0_9080'))).status).toBe(200);
    const stats = await clusterStats(admin);
    expect(stats[c]?.['upstream_rq_retry']).toBeGreaterThanOrEqual(1);
    expect(stats[c]?.['upstream_cx_connect_fail']).toBeGreaterThanOrEqual(1);
  });

  it('connect failure after retries → 503 UF body', async () => {
    const c = svc('reviews');
    const p = await oneRouteProxy(edsCluster(c), [{ port: await deadPort() }], { retry_policy: ISTIO_RETRY });
    closers.push(() => p.proxy.close());
    const r = await send(p.port('0.0.0.0_9080'));
    expect(r.status).toBe(503);
    expect(r.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
  });

  it('retriable-status-codes: a 503 is retried and the next host answers', async () => {
    const bad = await upstream('bad', failing(503));
    const good = await upstream('good');
    const c = svc('reviews');
    const p = await oneRouteProxy(edsCluster(c, { lb_policy: 'ROUND_ROBIN' }), [{ port: bad.port }, { port: good.port }], { retry_policy: ISTIO_RETRY });
    closers.push(() => p.proxy.close());
    for (let i = 0; i < 4; i++) expect((await send(p.port('0.0.0.0_9080'))).status).toBe(200);
  });

  it('fault abort (FI) and delay (DI)', async () => {
    const u = await upstream('u');
    const c = svc('ratings');
    const p = await startProxy({
      clusters: [edsCluster(c)],
      endpoints: [assignment(c, [{ port: u.port }])],
      listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
      routes: [
        routeConfig('9080', [
          vhost('ratings', ['*'], [
            route({ prefix: '/abort' }, { cluster: c }, { typed_per_filter_config: faultConfig({ abortStatus: 555 }) }),
            route({ prefix: '/delay' }, { cluster: c }, { typed_per_filter_config: faultConfig({ delayMs: 300 }) }),
          ]),
        ]),
      ],
    });
    closers.push(() => p.proxy.close());
    const port = p.port('0.0.0.0_9080');
    const a = await send(port, { path: '/abort' });
    expect([a.status, a.body]).toEqual([555, 'fault filter abort']);
    expect(u.seen).toHaveLength(0);
    const t0 = Date.now();
    expect((await send(port, { path: '/delay' })).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('circuit breaking: overflow → 503 UO with x-envoy-overloaded and the stat', async () => {
    const u = await upstream('slow', slow);
    const c = svc('reviews');
    const cluster = edsCluster(c, {
      circuit_breakers: { thresholds: [{ max_connections: { value: 1 }, max_pending_requests: { value: 1 }, max_requests: { value: 100 } }] },
    });
    const p = await oneRouteProxy(cluster, [{ port: u.port }]);
    const admin = await withAdmin(p);
    const port = p.port('0.0.0.0_9080');
    const replies = await Promise.all([0, 1, 2, 3].map(() => send(port, { path: '/?ms=200' })));
    const overflow = replies.filter((r) => r.status === 503);
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(overflow.length).toBeGreaterThanOrEqual(1);
    expect(overflow[0]!.headers['x-envoy-overloaded']).toBe('true');
    expect(overflow[0]!.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: overflow');
    const stats = await clusterStats(admin);
    expect(stats[c]?.['upstream_rq_pending_overflow']).toBe(overflow.length);
    expect(stats[c]?.['upstream_cx_overflow']).toBeGreaterThanOrEqual(1);
  });

  it('outlier detection ejects a failing host and restores it after the ejection time', async () => {
    const bad = await upstream('bad', failing(500));
    const good = await upstream('good');
    const c = svc('reviews');
    const cluster = edsCluster(c, {
      lb_policy: 'ROUND_ROBIN',
      outlier_detection: {
        consecutive_5xx: { value: 2 },
        interval: { seconds: 0, nanos: 50e6 },
        base_ejection_time: { seconds: 0, nanos: 400e6 },
        max_ejection_percent: { value: 50 },
      },
    });
    const p = await oneRouteProxy(cluster, [{ port: bad.port }, { port: good.port }]);
    const admin = await withAdmin(p);
    const port = p.port('0.0.0.0_9080');
    for (let i = 0; i < 4; i++) await send(port);
    const clusters = (await send(admin, { path: '/clusters' })).body;
    expect(clusters).toContain(`${c}::127.0.0.1:${bad.port}::health_flags::/failed_outlier_check`);
    const during = await Promise.all([0, 1, 2, 3, 4, 5].map(() => send(port)));
    expect(during.every((r) => r.status === 200)).toBe(true);
    const stats = await clusterStats(admin);
    expect(stats[c]?.['outlier_detection_ejections_active']).toBe(1);
    await sleep(600);
    expect((await send(admin, { path: '/clusters' })).body).toContain(`${c}::127.0.0.1:${bad.port}::health_flags::healthy`);
  });

  it('no healthy upstream → 503 UH', async () => {
    const c = svc('reviews');
    const p = await oneRouteProxy(edsCluster(c), [{ port: 1, health: 'UNHEALTHY' } as { port: number }]);
    closers.push(() => p.proxy.close());
    const r = await send(p.port('0.0.0.0_9080'));
    expect([r.status, r.body]).toEqual([503, 'no healthy upstream']);
  });
});

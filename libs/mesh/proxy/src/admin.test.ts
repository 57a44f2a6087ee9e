import { connect } from 'node:net';
import type { AccessLogSink } from './http/access-log';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, sleep, startProxy, startUpstream } from './testing/harness';

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(text));
    let out = '';
    sock.on('data', (d) => (out += d.toString()));
    sock.on('close', () => resolve(out));
    sock.on('error', reject);
    sock.setTimeout(3000, () => sock.destroy());
  });
}

async function bookinfoProxy(u: Upstream, opts: { accessLog?: AccessLogSink; drainMs?: number } = {}): Promise<TestProxy> {
  return startProxy(
    {
      clusters: [edsCluster(svc('reviews'), { metadata: { filter_metadata: { istio: { services: [{ host: 'reviews.default.svc.cluster.local' }] } } } })],
      endpoints: [assignment(svc('reviews'), [{ port: u.port }])],
      listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
      routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: svc('reviews') }, { name: 'default' })])])],
    },
    { accessLog: opts.accessLog, drainMs: opts.drainMs ?? 1000 },
  );
}

describe('codec errors', () => {
  let u: Upstream;
  let p: TestProxy;
  beforeAll(async () => {
    u = await startUpstream('reviews');
    p = await bookinfoProxy(u);
  });
  afterAll(async () => {
    await p.proxy.close();
    await u.close();
  });

  it('answers 431 to oversized request headers', async () => {
    const r = await send(p.port('0.0.0.0_9080'), { headers: { 'x-big': 'a'.repeat(70 * 1024) } }).catch(() => undefined);
    expect(r?.status).toBe(431);
  });

  it('answers 400 to malformed HTTP, closes, and keeps serving', async () => {
    const out = await rawRequest(p.port('0.0.0.0_9080'), 'GARBAGE\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1.1 400/);
    expect((await send(p.port('0.0.0.0_9080'))).status).toBe(200);
  });
});

describe('admin, health, prometheus, access log, drain', () => {
  it('serves the operational endpoints in Envoy formats', async () => {
    const u = await startUpstream('reviews');
    const lines: string[] = [];
    const p = await bookinfoProxy(u, { accessLog: { write: (l: string) => lines.push(l) } });
    const at = { host: '127.0.0.1', port: 0 };
    const [admin, health, prom] = await Promise.all([p.proxy.startAdmin(at), p.proxy.startHealth(at), p.proxy.startPrometheus(at)]);
    try {
      for (let i = 0; i < 3; i++) await send(p.port('0.0.0.0_9080'), { path: '/reviews/0', headers: { 'x-request-id': `id-${i}` } });
      const c = svc('reviews');
      expect((await send(admin.port, { path: '/ready' })).body).toBe('LIVE\n');
      expect((await send(health.port, { path: '/healthz/ready' })).status).toBe(200);
      const dump = (await send(admin.port, { path: '/config_dump' })).json<{ configs: { '@type': string }[] }>();
      expect(dump.configs.map((x) => x['@type'].split('.').pop())).toEqual([
        'ClustersConfigDump', 'ListenersConfigDump', 'RoutesConfigDump', 'EndpointsConfigDump', 'SecretsConfigDump',
      ]);
      const clusters = (await send(admin.port, { path: '/clusters' })).body;
      expect(clusters).toContain(`${c}::127.0.0.1:${u.port}::health_flags::healthy`);
      expect(clusters).toContain(`${c}::127.0.0.1:${u.port}::rq_total::3`);
      expect((await send(admin.port, { path: '/stats' })).body).toContain(`cluster.${c}.upstream_rq_total: 3`);
      const memory = (await send(admin.port, { path: '/memory' })).json<Record<string, string>>();
      expect(Number(memory['total_physical_bytes'])).toBeGreaterThan(Number(memory['heap_size']));
      expect(Number(memory['allocated'])).toBeGreaterThan(0);
      const metrics = (await send(prom.port, { path: '/stats/prometheus' })).body;
      expect(metrics).toContain(`envoy_cluster_upstream_rq_total{cluster_name="${c}"} 3`);
      expect(metrics).toContain(`envoy_cluster_upstream_rq{response_code_class="2xx",response_code="200",cluster_name="${c}"} 3`);
      expect(metrics).toContain(`envoy_cluster_outlier_detection_ejections_active{cluster_name="${c}"} 0`);
      // Istio's standard metrics come only from istio.stats filters (stats/), which this listener has none of.
      expect(metrics).not.toContain('istio_requests_total');
      expect((await send(admin.port, { path: '/logging?level=debug', method: 'POST' })).body).toContain('debug');
      expect(lines).toHaveLength(3);
      const [, rest] = lines[0]!.split('] ');
      expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] /);
      expect(rest).toMatch(/^"GET \/reviews\/0 HTTP\/1.1" 200 - via_upstream - "-" 0 \d+ \d+ \d+ "-" "-" "id-0" "reviews:9080" /);
      expect(rest).toContain(`"127.0.0.1:${u.port}" ${c} - 127.0.0.1:`);
      expect(rest!.trimEnd().endsWith(' - default')).toBe(true);
      await send(admin.port, { path: '/logging?level=silent', method: 'POST' });
    } finally {
      await p.proxy.close();
      await u.close();
    }
  });

  it('health is 503 before the first complete config', async () => {
    const p = await startProxy({ clusters: [edsCluster(svc('reviews'))] });
    const health = await p.proxy.startHealth({ host: '127.0.0.1', port: 0 });
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    expect((await send(health.port, { path: '/healthz/ready' })).status).toBe(503);
    expect((await send(admin.port, { path: '/ready' })).body).toBe('PRE_INITIALIZING\n');
    await p.proxy.close();
  });

  it('close() stops accepting and finishes in-flight requests within drainMs', async () => {
    const u = await startUpstream('slow', (_req, res) => setTimeout(() => res.end('finished'), 300));
    const p = await bookinfoProxy(u, { drainMs: 2000 });
    const port = p.port('0.0.0.0_9080');
    const inFlight = send(port);
    await sleep(50);
    const closing = p.proxy.close();
    await sleep(20);
    await expect(send(port)).rejects.toThrow(/ECONNREFUSED/);
    const r = await inFlight;
    expect([r.status, r.body, r.headers['connection']]).toEqual([200, 'finished', 'close']);
    await closing;
    await u.close();
  });
});

import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@trellis/shared';
import { type Proxy, createProxy } from '../proxy';
import { edsCluster, svc } from '../testing/envoy-fixtures';
import { appScrapeTarget } from '../stats/merged-target';
import { AgentScrapeMetrics } from './merged-metrics';

/** pilot-agent's merged /stats/prometheus (15020) over real sockets: agent + proxy + the app's own metrics. */

const APP_METRICS = '# HELP app_hits_total Hits.\n# TYPE app_hits_total counter\napp_hits_total{page="index"} 7\n';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers, signal: AbortSignal.timeout(5000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('appScrapeTarget (ISTIO_PROMETHEUS_ANNOTATIONS)', () => {
  it('reads the injector’s JSON with Istio’s defaults, and the local app endpoint when there is one', () => {
    expect(appScrapeTarget('{"scrape":"true","path":"/metrics","port":"9080"}', 15020)).toEqual({ host: '127.0.0.1', port: 9080, path: '/metrics' });
    expect(appScrapeTarget('{"scrape":"true"}', 15020)).toEqual({ host: '127.0.0.1', port: 80, path: '/metrics' });
    expect(appScrapeTarget('{"port":"9080","path":"/m"}', 15020, { '9080': '127.0.10.12:19080' })).toEqual({ host: '127.0.10.12', port: 19080, path: '/m' });
    expect(appScrapeTarget('{"port":"9080"}', 15020, { '9080': '[::1]:19080' })).toEqual({ host: '::1', port: 19080, path: '/metrics' });
  });

  it('has no target when unset, empty or scrape is "false"', () => {
    expect(appScrapeTarget(undefined, 15020)).toBeUndefined();
    expect(appScrapeTarget('', 15020)).toBeUndefined();
    expect(appScrapeTarget('{"scrape":"false","port":"9080"}', 15020)).toBeUndefined();
  });

  it('refuses bad JSON, bad ports and the status port itself with a stable code', () => {
    for (const bad of ['{', '[]', '{"port":"http"}', '{"port":9080}', '{"port":"15020"}']) {
      expect(() => appScrapeTarget(bad, 15020)).toThrow(expect.objectContaining({ code: 'PROMETHEUS_SCRAPE_CONFIG_INVALID' }));
    }
  });
});

describe('AgentScrapeMetrics', () => {
  it('renders istio_agent_scrapes_total, and failures by type once one happened', () => {
    const m = new AgentScrapeMetrics();
    m.scrapes = 2;
    expect(m.render()).not.toContain('scrape_failures');
    m.failures.application = 1;
    expect(m.render()).toBe(
      '# HELP istio_agent_scrape_failures_total The total number of failed scrapes.\n# TYPE istio_agent_scrape_failures_total counter\n' +
        'istio_agent_scrape_failures_total{type="application"} 1\n' +
        '# HELP istio_agent_scrapes_total The total number of scrapes.\n# TYPE istio_agent_scrapes_total counter\nistio_agent_scrapes_total 2\n',
    );
  });
});

describe('the status port’s merged /stats/prometheus', () => {
  let proxy: Proxy;
  let app: Server;
  let appPort: number;
  let proxyStats: string;
  const seen: Record<string, string | undefined>[] = [];
  beforeAll(async () => {
    proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0 });
    await proxy.apply('CDS', [edsCluster(svc('reviews'))]); // so the proxy has stats of its own
    app = createServer((req, res) => {
      seen.push({ accept: req.headers.accept, timeout: String(req.headers['x-prometheus-scrape-timeout-seconds']) });
      if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(APP_METRICS);
      else if (req.url === '/slow') setTimeout(() => res.end(APP_METRICS), 3000).unref();
      else res.writeHead(500).end('boom');
    });
    appPort = await listen(app);
    const prom = await proxy.startPrometheus({ host: '127.0.0.1', port: 0 });
    proxyStats = (await get(prom.port, '/stats/prometheus')).body;
    expect(proxyStats).toContain('envoy_cluster_');
  });
  afterAll(async () => {
    app.closeAllConnections();
    app.close();
    await proxy.close();
  });
  const start = (path: string, port = appPort): Promise<{ port: number }> =>
    proxy.startStatus({ host: '127.0.0.1', port: 0 }, { app: { host: '127.0.0.1', port, path }, scrape: { defaultTimeoutMs: 500, maxBytes: 1 << 20 } });

  it('serves the agent’s metrics, then the proxy’s (what 15090 serves), then the app’s own, on both paths', async () => {
    const status = await start('/metrics');
    for (const path of ['/stats/prometheus', '/metrics']) {
      const r = await get(status.port, path, { accept: 'text/plain;version=0.0.4', 'x-prometheus-scrape-timeout-seconds': '10' });
      expect(r.status).toBe(200);
      expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      const agentEnd = r.body.indexOf(proxyStats);
      expect(agentEnd).toBeGreaterThan(0);
      expect(r.body.slice(0, agentEnd)).toContain('istio_agent_scrapes_total');
      expect(r.body.endsWith(APP_METRICS)).toBe(true);
      expect(r.body.indexOf(APP_METRICS)).toBe(agentEnd + proxyStats.length + (proxyStats.endsWith('\n') ? 0 : 1));
    }
    expect(seen.at(-1)).toEqual({ accept: 'text/plain;version=0.0.4', timeout: '10' }); // Prometheus' headers passed on
  });

  it('serves the proxy’s metrics alone and counts a failure when the app is down or errs', async () => {
    const closed = createServer();
    const deadPort = await listen(closed);
    closed.close();
    const down = await start('/metrics', deadPort);
    const r = await get(down.port, '/stats/prometheus');
    expect(r.status).toBe(200);
    expect(r.body).toContain(proxyStats);
    expect(r.body).toContain('istio_agent_scrape_failures_total{type="application"} 1\n');
    expect(r.body).not.toContain('app_hits_total');

    const erring = await start('/error');
    await get(erring.port, '/stats/prometheus');
    expect((await get(erring.port, '/stats/prometheus')).body).toContain('istio_agent_scrape_failures_total{type="application"} 2\n');
  });

  it('gives up on a slow app after Prometheus’ scrape timeout (or its own) and still answers', async () => {
    const slow = await start('/slow');
    const t0 = Date.now();
    const r = await get(slow.port, '/stats/prometheus', { 'x-prometheus-scrape-timeout-seconds': '0.3' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.body).toContain(proxyStats);
    expect(r.body).toContain('istio_agent_scrape_failures_total{type="application"} 1\n');
    const t1 = Date.now();
    await get(slow.port, '/stats/prometheus'); // no header: the 500 ms default
    expect(Date.now() - t1).toBeLessThan(2000);
  });

  it('without an app target is the agent’s and the proxy’s metrics, and answers /healthz/ready', async () => {
    const bare = await proxy.startStatus({ host: '127.0.0.1', port: 0 });
    const r = await get(bare.port, '/stats/prometheus');
    expect(r.body).toContain(proxyStats);
    expect(r.body).not.toContain('scrape_failures');
    expect((await get(bare.port, '/healthz/ready')).status).toBe(503); // not ready: no config yet
  });
});

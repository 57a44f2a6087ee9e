/**
 * Where the ops ports answer. In a pod, trellis-proxy-wait (the postStart hook) and a Job's
 * `curl -X POST 127.0.0.1:15000/quitquitquit` use loopback while INSTANCE_IP is the pod IP.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Proxy, createProxy } from '@trellis/mesh-proxy';
import { silentLogger } from '@trellis/shared';
import { type ProxyConfig, readConfig } from './config';
import { type OpsAddresses, startOps } from './ops';

const WAIT_SCRIPT = path.resolve(__dirname, '../../../tools/docker/trellis-proxy-wait.js');
const POD_ENV = { INSTANCE_IP: '10.244.0.7', POD_NAME: 'reviews-v1-abc-def' };

/** The config as read, with ports the test owns (0: any free port). */
function testConfig(argv: string[], env: Record<string, string>): ProxyConfig {
  return { ...readConfig(argv, env), adminPort: 0, statusPort: 0, prometheusPort: 0, agentPort: 0 };
}

/** Status code, or the connection error's code (ECONNREFUSED when nothing listens there). */
async function get(host: string, port: number, urlPath: string): Promise<number | string> {
  try {
    return (await fetch(`http://${host}:${port}${urlPath}`, { signal: AbortSignal.timeout(3000) })).status;
  } catch (err) {
    // fetch's errors come from another realm than jest's: read the cause's code without instanceof.
    const cause: unknown = (err as { cause?: unknown }).cause;
    const code: unknown = cause !== null && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? code : String(err);
  }
}

function runWait(url: string, timeoutSeconds: string): Promise<{ code: number; stderr: string }> {
  const env = { PATH: process.env['PATH'] ?? '', TRELLIS_PROXY_WAIT_URL: url, TRELLIS_PROXY_WAIT_TIMEOUT: timeoutSeconds };
  return new Promise((resolve) => {
    execFile(process.execPath, [WAIT_SCRIPT], { env, timeout: 20_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? -1) : 0, stderr });
    });
  });
}

/** An empty but complete configuration: CDS + LDS applied, nothing referenced missing. */
async function makeReady(proxy: Proxy): Promise<void> {
  await proxy.apply('CDS', []);
  await proxy.apply('LDS', []);
}

describe('ops ports in a pod (default --ops-bind istio)', () => {
  let proxy: Proxy;
  let ops: OpsAddresses;
  beforeAll(async () => {
    proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0 });
    ops = await startOps(proxy, testConfig([], POD_ENV));
  });
  afterAll(() => proxy.close());

  it('serves health and Prometheus on every address and admin on loopback only', async () => {
    expect(ops.health.host).toBe('0.0.0.0');
    expect(ops.prometheus.host).toBe('0.0.0.0');
    expect(ops.admin.host).toBe('127.0.0.1');
    expect(await get('127.0.0.1', ops.health.port, '/healthz/ready')).toBe(503);
    expect(await get('127.0.0.2', ops.health.port, '/healthz/ready')).toBe(503);
    expect(await get('127.0.0.1', ops.prometheus.port, '/stats/prometheus')).toBe(200);
    expect(ops.status.host).toBe('0.0.0.0');
    expect(await get('127.0.0.2', ops.status.port, '/stats/prometheus')).toBe(200);
    expect(await get('127.0.0.1', ops.admin.port, '/ready')).toBe(503);
    expect(await get('127.0.0.2', ops.admin.port, '/ready')).not.toBe(503); // admin is loopback-only: ours would say 503 here
  });

  it('lets trellis-proxy-wait time out (exit 1) before the proxy is ready, and pass once it is', async () => {
    const url = `http://127.0.0.1:${ops.health.port}/healthz/ready`;
    const early = await runWait(url, '1');
    expect(early.code).toBe(1);
    expect(early.stderr).toBe(`trellis-proxy-wait: ${url} not ready after 1 s\n`);

    const waiting = runWait(url, '15');
    setTimeout(() => void makeReady(proxy), 700);
    expect(await waiting).toEqual({ code: 0, stderr: '' });
    expect(await get('127.0.0.1', ops.health.port, '/healthz/ready')).toBe(200);
  });
});

describe('ops ports in local mode (--ops-bind instance-ip)', () => {
  it('binds all three on the pod loopback address and nowhere else', async () => {
    const proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0 });
    try {
      const ops = await startOps(proxy, testConfig(['--ip', '127.0.77.10', '--ops-bind', 'instance-ip'], POD_ENV));
      expect([ops.admin.host, ops.health.host, ops.prometheus.host]).toEqual(['127.0.77.10', '127.0.77.10', '127.0.77.10']);
      await makeReady(proxy);
      expect(await get('127.0.77.10', ops.health.port, '/healthz/ready')).toBe(200);
      expect(await get('127.0.77.10', ops.admin.port, '/ready')).toBe(200);
      // Not on loopback: nothing there (ECONNREFUSED), or, when a parallel test happens to own the same
      // port number on 127.0.0.1, someone else's server, never ours (which answers 200 now).
      expect(await get('127.0.0.1', ops.health.port, '/healthz/ready')).not.toBe(200);
      expect(await get('127.0.0.1', ops.prometheus.port, '/stats/prometheus')).not.toBe(200);
    } finally {
      await proxy.close();
    }
  });
});

describe('the status port (15020) in local mode', () => {
  it("merges the app's own metrics from ISTIO_PROMETHEUS_ANNOTATIONS, found at the app endpoint behind the sidecar", async () => {
    const app = createServer((_req, res) => res.end('# TYPE bookinfo_hits_total counter\nbookinfo_hits_total 3\n'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.77.11', resolve));
    const appPort = (app.address() as AddressInfo).port;
    const proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0 });
    try {
      const env = { ...POD_ENV, ISTIO_PROMETHEUS_ANNOTATIONS: '{"scrape":"true","path":"/metrics","port":"9080"}' };
      const ops = await startOps(proxy, testConfig(['--ip', '127.0.77.11', '--ops-bind', 'instance-ip', '--app-endpoints', `9080=127.0.77.11:${appPort}`], env));
      expect(ops.status.host).toBe('127.0.77.11');
      const body = await (await fetch(`http://127.0.77.11:${ops.status.port}/stats/prometheus`, { signal: AbortSignal.timeout(3000) })).text();
      expect(body).toContain('istio_agent_scrapes_total 1\n');
      expect(body.endsWith('bookinfo_hits_total 3\n')).toBe(true);
      await expect(startOps(proxy, testConfig([], { ...POD_ENV, ISTIO_PROMETHEUS_ANNOTATIONS: '{"port":"x"}' }))).rejects.toMatchObject({ code: 'PROMETHEUS_SCRAPE_CONFIG_INVALID' });
    } finally {
      await proxy.close();
      app.close();
    }
  });
});

/**
 * The Prometheus addon as the stack starts it: Debian's real binary (skipped, saying so, when not
 * installed), scraping a fake proxy's status port :15020 on a loopback pod address, registered with a fake
 * control plane's registry API. Without the binary, the start goes on and names the package.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { createLogger } from '@trellis/shared';
import { AddonsFile, readLocalAddons } from './addons-file';
import { startPrometheus, type AddonContext } from './addons-stack';
import { ControlPlaneClient } from './control-plane-client';
import { ProcessGroup } from './processes';
import { findPrometheus } from './prometheus';
import { testPlan } from './test-plan';

jest.setTimeout(30_000);
const binary = findPrometheus();
if (binary === undefined) process.stderr.write('addons-stack: real Prometheus case skipped: no prometheus binary (apt-get install -y prometheus)\n');

const block = `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}`;
const listen = (server: Server, host: string, port: number): Promise<void> => new Promise((resolve) => server.listen(port, host, resolve));
const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

describe('startPrometheus', () => {
  const plan = testPlan(block);
  let dir: string;
  let group: ProcessGroup;
  const registered: string[] = [];
  const lines: string[] = [];
  const registry = createServer((req, res) => {
    registered.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  const proxy = createServer((req, res) => {
    const body = '# TYPE istio_requests_total counter\nistio_requests_total{reporter="destination",destination_version="v3"} 7\n';
    res.writeHead(req.url === '/stats/prometheus' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  });
  const ctx = (): AddonContext => ({
    group, plan, client: new ControlPlaneClient(`http://${block}.1:${(registry.address() as { port: number }).port}`), file: new AddonsFile(dir),
    distDir: 'dist', stateDir: dir, logLevel: 'warn', readyTimeoutMs: 15_000, report: (l) => lines.push(l),
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-addons-'));
    group = new ProcessGroup(path.join(dir, 'logs'), createLogger({ name: 'test', level: 'silent' }), (name, code) => lines.push(`exit ${name} ${code}`));
    await listen(registry, `${block}.1`, 0);
    await listen(proxy, `${block}.10`, 15020);
  });
  afterAll(async () => {
    await group.stopAll(3000);
    await close(registry);
    await close(proxy);
    rmSync(dir, { recursive: true, force: true });
  });

  it('without the binary: one line naming Debian’s package, addons.json says why, nothing registered', async () => {
    await startPrometheus(ctx(), () => undefined);
    expect(lines).toEqual(["… Prometheus not started: no prometheus binary (Debian's prometheus package: apt-get install -y prometheus)"]);
    expect(readLocalAddons(dir)?.missing).toEqual([{ name: 'prometheus', reason: 'prometheus is not installed', fix: 'apt-get install -y prometheus' }]);
    expect(registered).toEqual([]);
  });

  (binary === undefined ? it.skip : it)('with Debian’s prometheus: ready on <cp>:9090, registered, and the proxy’s series queryable with its pod labels', async () => {
    lines.length = 0;
    await startPrometheus(ctx(), () => binary);
    expect(lines).toEqual([`✔ Prometheus ready (http://${block}.1:9090, scraping 2 proxies every 2s)`]);
    expect(readLocalAddons(dir)?.running).toEqual([{ name: 'prometheus', url: `http://${block}.1:9090` }]);
    expect(registered).toEqual(expect.arrayContaining(['PUT /api/v1/registry/services/istio-system/prometheus', expect.stringMatching(/^PUT \/api\/v1\/registry\/workloads\/istio-system\/prometheus-/)]));
    const query = encodeURIComponent('istio_requests_total{destination_version="v3"}');
    let result: { metric: Record<string, string>; value: [number, string] }[] = [];
    for (let i = 0; i < 40 && result.length === 0; i++) {
      const res = await request(`http://${block}.1:9090/api/v1/query?query=${query}`);
      result = ((await res.body.json()) as { data: { result: typeof result } }).data.result;
      if (result.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(result).toHaveLength(1);
    expect(result[0]?.metric).toMatchObject({ job: 'kubernetes-pods', namespace: 'default', pod: 'reviews-v3-abc-def', app: 'reviews', version: 'v3', reporter: 'destination' });
    expect(result[0]?.value[1]).toBe('7');
  });
});

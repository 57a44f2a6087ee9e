import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../run';
import { DASHBOARD_COMPONENTS } from './components';
import { openBrowser } from './open-browser';

// `trellis dashboard` in local mode: a state dir with the runner's addons.json and a real addon socket.
describe('trellis dashboard (local mode)', () => {
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-dash-'));
    server = createServer((_req, res) => res.writeHead(302, { location: '/classic/graph' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const addons = (content: unknown): void => writeFileSync(path.join(dir, 'addons.json'), JSON.stringify(content));
  async function dash(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    let [out, err] = ['', ''];
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await run(['--state-dir', dir, ...argv], { stdout, stderr, stdin: new PassThrough(), env: { PATH: process.env['PATH'], TRELLIS_TARGET: 'local' }, cwd: dir });
    return { code, out, err };
  }

  it('prints the running addon’s URL and, with --browser=false, only that (istioctl’s words)', async () => {
    addons({ running: [{ name: 'prometheus', url }, { name: 'zipkin', url }, { name: 'kiali', url }], missing: [] });
    expect(await dash('dashboard', 'prometheus', '--browser=false')).toEqual({ code: 0, out: `${url}\nskipping opening a browser\n`, err: '' });
    expect(await dash('dashboard', 'kiali', '--browser=false')).toEqual({ code: 0, out: `${url}/kiali\nskipping opening a browser\n`, err: '' });
    expect(await dash('d', 'zipkin', '--browser=false')).toEqual({ code: 0, out: `${url}\nskipping opening a browser\n`, err: '' });
    expect((await dash('dash', 'tracing', '--browser', 'false')).out).toBe(`${url}\nskipping opening a browser\n`);
  });

  it('an addon that could not start: the reason and the install command', async () => {
    addons({ running: [], missing: [{ name: 'prometheus', reason: 'prometheus is not installed', fix: 'apt-get install -y prometheus' }] });
    expect(await dash('dashboard', 'prometheus', '--browser=false')).toEqual({
      code: 1,
      out: '',
      err: 'Error: Prometheus is not running in the local stack (prometheus is not installed): apt-get install -y prometheus, then restart npm start\n',
    });
  });

  it('an addon that no longer answers, no stack, Kiali not started, Grafana and Jaeger are errors saying what to do', async () => {
    addons({ running: [{ name: 'zipkin', url: 'http://127.0.0.1:1' }], missing: [{ name: 'kiali', reason: 'no Kiali UI', fix: 'node tools/kiali-ui/fetch.mjs' }] });
    expect((await dash('dashboard', 'zipkin', '--browser=false')).err).toMatch(/^Error: Zipkin does not answer at http:\/\/127\.0\.0\.1:1 \(.*\): is npm start still running\?\n$/);
    expect((await dash('dashboard', 'kiali', '--browser=false')).err).toBe('Error: Kiali is not running in the local stack (no Kiali UI): node tools/kiali-ui/fetch.mjs, then restart npm start\n');
    expect((await dash('dashboard', 'grafana', '--browser=false')).err).toBe('Error: Grafana does not run in local mode. Trellis ships no Grafana: Kiali charts the same Istio metrics (trellis dashboard kiali) and Prometheus answers PromQL (trellis dashboard prometheus)\n');
    expect((await dash('dashboard', 'jaeger', '--browser=false')).err).toBe('Error: Jaeger does not run in local mode. Trellis ships no Jaeger: its trace store serves the Zipkin API and a trace UI (trellis dashboard zipkin)\n');
    rmSync(path.join(dir, 'addons.json'));
    expect((await dash('dashboard', 'prometheus', '--browser=false')).err).toBe(`Error: no local stack is running with this state dir (${dir}): start one with npm start\n`);
  });

  it('istioctl’s selectors and UI ports', () => {
    expect(DASHBOARD_COMPONENTS.map((c) => `${c.name} ${c.selector} ${c.uiPort}${c.path}`)).toEqual([
      'prometheus app.kubernetes.io/name=prometheus 9090',
      'zipkin app=zipkin 9411',
      'tracing app=zipkin 9411',
      'kiali app=kiali 20001/kiali',
      'grafana app.kubernetes.io/name=grafana 3000',
      'jaeger app=jaeger 16686',
    ]);
  });

  it('a browser that cannot be started is one line, not an error', async () => {
    let out = '';
    await openBrowser('http://x:1', (t) => (out += t), true, 'linux', { PATH: '/nonexistent' });
    expect(out).toBe('http://x:1\nFailed to open browser; open http://x:1 in your browser.\n');
  });
});

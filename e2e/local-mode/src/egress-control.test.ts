import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Istio's egress-control task (tasks/traffic-management/egress/egress-control, the HTTP part) in local mode:
// the sleep pod reaches an external host through its sidecar (ALLOW_ANY: PassthroughCluster); with
// meshConfig.outboundTrafficPolicy.mode REGISTRY_ONLY (local mode's `istioctl install --set …`: <state>/mesh.yaml)
// it gets Envoy's 502 from the catch-all `block_all` route; a ServiceEntry for httpbin.org opens that host (and
// only that host) again. The "external" host is an HTTP server in a network namespace of its own, joined to the
// machine by a veth pair: an address outside every pod's, reached only through the sidecar.
jest.setTimeout(150_000);

const whyNot = process.getuid?.() !== 0 ? 'must run as root (ip netns)' : undefined;
if (whyNot !== undefined) process.stderr.write(`skipping egress-control: ${whyNot}\n`);
const describeAsRoot = whyNot === undefined ? describe : describe.skip;

const octet = 100 + Math.floor(Math.random() * 150);
const tag = `tegr${Math.floor(Math.random() * 0xffff).toString(16)}`;
const EXTERNAL_IP = `10.253.${octet}.2`;
const SERVER = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json');
  s.end(JSON.stringify({ headers: { Host: q.headers.host }, url: q.url }) + '\\n'); }).listen(80, '${EXTERNAL_IP}', () => console.log('listening'));`;

/** The "internet": namespace `<tag>` with 10.253.<n>.2/30 on its end of a veth, the host end .1/30. */
function startExternalHost(): Promise<ChildProcess> {
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', tag);
  ip('link', 'add', `${tag}-h`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', tag);
  ip('addr', 'add', `10.253.${octet}.1/30`, 'dev', `${tag}-h`);
  ip('link', 'set', `${tag}-h`, 'up');
  ip('-n', tag, 'addr', 'add', `${EXTERNAL_IP}/30`, 'dev', 'eth0');
  ip('-n', tag, 'link', 'set', 'eth0', 'up');
  const server = spawn('ip', ['netns', 'exec', tag, process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.stdout?.once('data', () => resolve(server));
    server.once('exit', (code) => reject(new Error(`external server exited ${code}`)));
  });
}

const SERVICE_ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin-ext
spec:
  hosts:
  - httpbin.org
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: STATIC
  location: MESH_EXTERNAL
  endpoints:
  - address: ${EXTERNAL_IP}
`;

describeAsRoot('egress control (local mode): REGISTRY_ONLY blocks, a ServiceEntry opens', () => {
  let stack: TestStack;
  let server: ChildProcess;
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-egress-'));
  const curl = (url: string) => trellis(stack.stateDir, 'x', 'exec', 'sleep', '--', 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', url);
  const status = async (url: string) => (await curl(url)).stdout;
  const until = async (url: string, want: string, timeoutMs = 10_000): Promise<number> => {
    const started = Date.now();
    let got = '';
    while ((got = await status(url)) !== want) {
      if (Date.now() - started > timeoutMs) throw new Error(`${url}: still ${got}, not ${want}, after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return Date.now() - started;
  };
  const byIp = `http://${EXTERNAL_IP}/headers`;

  beforeAll(async () => {
    server = await startExternalHost();
    stack = await startStack({ args: ['--with', 'sleep'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    server?.kill();
    execFileSync('ip', ['netns', 'del', tag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    if (stack !== undefined) removeStateDir(stack.stateDir);
    expect(code).toBe(0);
  });

  it('ALLOW_ANY (the default): the external host answers through the PassthroughCluster', async () => {
    expect(await curl(byIp)).toEqual({ code: 0, stdout: '200', stderr: '' });
  });

  it('REGISTRY_ONLY: 502 from the sidecar for the external host, by address and by name', async () => {
    writeFileSync(path.join(stack.stateDir, 'mesh.yaml'), 'outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n');
    const ms = await until(byIp, '502');
    process.stderr.write(`egress-control: REGISTRY_ONLY in force ${ms} ms after mesh.yaml changed\n`);
    expect(await status('http://httpbin.org/headers')).toBe('502');
    // Istio's task: `kubectl exec "$SOURCE_POD" -c sleep -- curl -sS http://httpbin.org/headers` → 502 Bad Gateway
    const head = await trellis(stack.stateDir, 'x', 'exec', 'sleep', '--', 'curl', '-sSI', 'http://httpbin.org/headers');
    expect(head.stdout).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
  });

  it('a ServiceEntry for httpbin.org opens that host only; deleting it closes it again', async () => {
    const file = path.join(dir, 'httpbin-ext.yaml');
    writeFileSync(file, SERVICE_ENTRY);
    expect(await trellis(stack.stateDir, 'apply', '-f', file)).toMatchObject({ code: 0, stdout: 'serviceentry.networking.istio.io/httpbin-ext created\n' });
    await until('http://httpbin.org/headers', '200');
    const body = await trellis(stack.stateDir, 'x', 'exec', 'sleep', '--', 'curl', '-sS', 'http://httpbin.org/headers');
    expect(JSON.parse(body.stdout)).toEqual({ headers: { Host: 'httpbin.org' }, url: '/headers' });
    expect(await status(byIp)).toBe('502');
    expect((await trellis(stack.stateDir, 'delete', '-f', file)).code).toBe(0);
    await until('http://httpbin.org/headers', '502');
  });

  it('back to ALLOW_ANY: the external host answers again', async () => {
    writeFileSync(path.join(stack.stateDir, 'mesh.yaml'), 'outboundTrafficPolicy:\n  mode: ALLOW_ANY\n');
    await until(byIp, '200');
  });
});

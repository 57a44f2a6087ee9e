import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultHttpbinBinary } from '@trellis/mesh-local';
import { removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Istio's circuit-breaking task (httpbin + fortio) and mirroring task (httpbin-v1/v2 + sleep, in
// namespace `mirror` so both Services named httpbin coexist), typed as a user types them in local mode:
// `trellis x exec deploy/fortio-deploy -c fortio -- fortio load …`, `… -c istio-proxy -- pilot-agent request GET stats`.
jest.setTimeout(180_000);

const httpbin = process.env['TRELLIS_HTTPBIN'] ?? defaultHttpbinBinary(process.env);
if (!existsSync(httpbin)) process.stderr.write(`skipping circuit breaking / mirroring: ${httpbin} not built (tools/samples/build-httpbin.sh)\n`);
const describeWithHttpbin = existsSync(httpbin) ? describe : describe.skip;

let stack: TestStack;
const tmp = mkdtempSync(path.join(tmpdir(), 'trellis-e2e-cb-'));
const exec = (...args: string[]): ReturnType<typeof trellis> => trellis(stack.stateDir, 'x', 'exec', ...args);

async function apply(name: string, text: string): Promise<void> {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  const res = await trellis(stack.stateDir, 'apply', '-f', file);
  expect([res.code, res.stderr]).toEqual([0, '']);
}

/** Waits until the pod's sidecar has `needle` in its admin `path` (the config reached it). */
async function waitForAdmin(deploy: string, pathName: string, needle: string, namespace = 'default'): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = await exec('-n', namespace, `deploy/${deploy}`, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'GET', pathName);
    if (r.stdout.includes(needle)) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${deploy}'s sidecar never had ${needle} in /${pathName}`);
}

/** `Code 200 : 17 (85.0 %)` lines of fortio's summary. */
function codes(out: string): Record<string, number> {
  return Object.fromEntries([...out.matchAll(/^Code (-?\d+) : (\d+) \(/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}

const CB_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
`;
const OUTBOUND = 'cluster.outbound|8000||httpbin.default.svc.cluster.local';

describeWithHttpbin('local mode: circuit breaking with fortio, mirroring with httpbin v1/v2', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'httpbin,fortio,httpbin-v1-v2@mirror,sleep@mirror'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    expect(code).toBe(0);
    removeStateDir(stack.stateDir);
    removeStateDir(tmp);
  });

  it('fortio curl through the sidecar: HTTP/1.1 200 OK, server: envoy', async () => {
    expect(stack.output()).toMatch(/✔ \S+ ready \(pod fortio-deploy-\S+, 2\/2\)/);
    const r = await exec('deploy/fortio-deploy', '-c', 'fortio', '--', 'fortio', 'curl', '-quiet', 'http://httpbin:8000/get');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toMatch(/\r\nserver: envoy\r\n/i);
  });

  it('the destination rule trips the breaker: -c 2 / -c 3 get 503s, and pending_overflow counts every one', async () => {
    await apply('httpbin-dr.yaml', CB_RULE);
    await waitForAdmin('fortio-deploy', 'clusters', 'outbound|8000||httpbin.default.svc.cluster.local::default_priority::max_pending_requests::1');
    const load = (c: string, n: string): ReturnType<typeof exec> =>
      exec('deploy/fortio-deploy', '-c', 'fortio', '--', 'fortio', 'load', '-c', c, '-qps', '0', '-n', n, '-loglevel', 'Warning', 'http://httpbin:8000/get');
    const two = await load('2', '20');
    expect(two.stdout).toContain('Starting at max qps with 2 thread(s)');
    expect(two.stdout).toMatch(/^# target 50% /m);
    const three = await load('3', '30');
    const [c2, c3] = [codes(two.stdout), codes(three.stdout)];
    process.stdout.write(`circuit breaking: -c 2 -n 20 → ${JSON.stringify(c2)}, -c 3 -n 30 → ${JSON.stringify(c3)}\n`);
    expect((c2['200'] ?? 0) + (c2['503'] ?? 0)).toBe(20);
    expect((c3['200'] ?? 0) + (c3['503'] ?? 0)).toBe(30);
    // As istio.io's test: both codes in both runs (the counts vary).
    for (const run of [c2, c3]) expect([run['200'] ?? 0, run['503'] ?? 0].every((n) => n > 0)).toBe(true);
    const stats = await exec('deploy/fortio-deploy', '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'GET', 'stats');
    const pending = stats.stdout.split('\n').filter((l) => l.includes('httpbin') && l.includes('pending'));
    for (const stat of ['circuit_breakers.default.rq_pending_open', 'circuit_breakers.high.rq_pending_open', 'upstream_rq_pending_active', 'upstream_rq_pending_failure_eject', 'upstream_rq_pending_overflow', 'upstream_rq_pending_total']) {
      expect(pending.some((l) => l.startsWith(`${OUTBOUND}.${stat}: `))).toBe(true);
    }
    const overflow = Number(/upstream_rq_pending_overflow: (\d+)/.exec(pending.join('\n'))?.[1]);
    expect(overflow).toBe((c2['503'] ?? 0) + (c3['503'] ?? 0));
  });

  it('mirroring: v1 answers, v2 gets a copy (its access log), the caller sees v1 only', async () => {
    await apply('httpbin-v1.yaml', V1_ONLY + MIRROR_DR);
    await waitForAdmin('sleep', 'config_dump', 'outbound|8000|v1|httpbin.mirror.svc.cluster.local', 'mirror');
    const curl = (): ReturnType<typeof exec> => exec('-n', 'mirror', 'deploy/sleep', '-c', 'sleep', '--', 'curl', '-sS', 'http://httpbin:8000/headers');
    const first = await curl();
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).headers.Host).toEqual(['httpbin:8000']);
    await new Promise((r) => setTimeout(r, 300));
    expect([headersGets('httpbin-v1'), headersGets('httpbin-v2')]).toEqual([1, 0]);

    await apply('httpbin-mirror.yaml', MIRROR_VS);
    await waitForAdmin('sleep', 'config_dump', 'request_mirror_policies', 'mirror');
    const second = await curl();
    expect(JSON.parse(second.stdout).headers.Host).toEqual(['httpbin:8000']);
    await new Promise((r) => setTimeout(r, 500));
    expect([headersGets('httpbin-v1'), headersGets('httpbin-v2')]).toEqual([2, 1]);
  });

  it('mirrors[] with a percentage: a second destination gets its share', async () => {
    await apply('httpbin-mirrors.yaml', MIRRORS_LIST);
    await waitForAdmin('sleep', 'config_dump', '"numerator": 500000', 'mirror');
    const before = headersGets('httpbin-v2');
    const loop = 'for i in $(seq 20); do curl -s -o /dev/null -w "%{http_code} " http://httpbin:8000/headers; done';
    expect((await exec('-n', 'mirror', 'deploy/sleep', '--', 'sh', '-c', loop)).stdout).toBe('200 '.repeat(20));
    await new Promise((r) => setTimeout(r, 500));
    const mirrored = headersGets('httpbin-v2') - before;
    expect(mirrored).toBeGreaterThan(0);
    expect(mirrored).toBeLessThan(20);
  });
});

/** go-httpbin's access log lines for GET /headers in the pod's log (`kubectl logs` of local mode). */
function headersGets(deployment: string): number {
  const logs = path.join(stack.stateDir, 'logs');
  const file = readdirSync(logs).find((f) => f.startsWith(`${deployment}-`) && f.endsWith('.log') && !f.includes('istio-proxy'));
  if (file === undefined) throw new Error(`no log of ${deployment} in ${logs}`);
  return (readFileSync(path.join(logs, file), 'utf8').match(/status=200 method="GET" uri="\/headers"/g) ?? []).length;
}

const MIRROR_DR = `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
  namespace: mirror
spec:
  host: httpbin
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`;
/** The mirroring task's VirtualService: every request to v1 (then a mirror stanza is added to the route). */
const V1_ONLY = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
  namespace: mirror
spec:
  hosts:
    - httpbin
  http:
  - route:
    - destination:
        host: httpbin
        subset: v1
      weight: 100
`;
const MIRROR_VS = `${V1_ONLY}    mirror:
      host: httpbin
      subset: v2
    mirrorPercentage:
      value: 100.0
`;
const MIRRORS_LIST = `${V1_ONLY}    mirrors:
    - destination:
        host: httpbin
        subset: v2
      percentage:
        value: 50
`;

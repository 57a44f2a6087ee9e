import { existsSync } from 'node:fs';
import { request } from 'undici';
import { defaultHttpbinBinary } from '@trellis/mesh-local';
import { controlPlaneAddress, removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Istio's httpbin + sleep samples in local mode: `npm start -- --with httpbin,sleep` and
// `trellis x exec sleep -- curl …` as `kubectl exec deploy/sleep -- curl …`, through both sidecars;
// plus a sleep in `legacy` without a sidecar (the mTLS walkthroughs' plain client).
jest.setTimeout(120_000);

const httpbin = process.env['TRELLIS_HTTPBIN'] ?? defaultHttpbinBinary(process.env);
if (!existsSync(httpbin)) process.stderr.write(`skipping local mode --with httpbin,sleep: ${httpbin} not built (tools/samples/build-httpbin.sh)\n`);
const describeWithHttpbin = existsSync(httpbin) ? describe : describe.skip;

let stack: TestStack;
interface Workload {
  name: string;
  namespace: string;
  address: string;
  sidecar: boolean;
}
async function workload(prefix: string, namespace = 'default'): Promise<Workload> {
  const res = await request(`${controlPlaneAddress(stack.stateDir)}/api/v1/registry/workloads`);
  const { items } = (await res.body.json()) as { items: Workload[] };
  const w = items.find((i) => i.name.startsWith(prefix) && i.namespace === namespace);
  if (w === undefined) throw new Error(`no workload ${prefix} in ${namespace}`);
  return w;
}
/** A counter from a proxy's admin /stats (admin on its pod address). */
async function stat(ip: string, name: string): Promise<number> {
  const res = await request(`http://${ip}:15000/stats`);
  const line = (await res.body.text()).split('\n').find((l) => l.startsWith(`${name}: `));
  return Number(line?.split(': ')[1] ?? 0);
}
const exec = (...args: string[]): ReturnType<typeof trellis> => trellis(stack.stateDir, 'x', 'exec', ...args);

describeWithHttpbin('local mode --with httpbin,sleep: trellis x exec sleep -- curl http://httpbin:8000/…', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'httpbin,sleep,sleep@legacy:nosidecar'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    expect(code).toBe(0);
    removeStateDir(stack.stateDir);
  });

  it('starts httpbin and sleep with sidecars, and the legacy sleep without one', () => {
    expect(stack.output()).toMatch(/✔ httpbin ready \(pod httpbin-\S+, 2\/2\)/);
    expect(stack.output()).toMatch(/✔ sleep ready \(pod sleep-\S+, 2\/2\)/);
    expect(stack.output()).toMatch(/✔ sleep ready \(pod sleep-\S+, namespace legacy, 1\/1, no sidecar\)/);
  });

  it("curl from sleep to httpbin:8000/ip answers 200, counted by sleep's outbound and httpbin's inbound|8080||", async () => {
    const [sleep, bin] = [await workload('sleep-'), await workload('httpbin-')];
    const before = await stat(bin.address, 'cluster.inbound|8080||.upstream_rq_200');
    const res = await exec('sleep', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/ip');
    expect([res.code, res.stdout, res.stderr]).toEqual([0, '200', '']);
    expect(await stat(bin.address, 'cluster.inbound|8080||.upstream_rq_200')).toBe(before + 1);
    expect(await stat(sleep.address, 'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_200')).toBeGreaterThanOrEqual(1);
  });

  it('httpbin /headers shows what the sidecar added (x-request-id) on a request curl sent without one', async () => {
    const res = await exec('deploy/sleep', '-c', 'sleep', '--', 'curl', '-s', 'http://httpbin:8000/headers');
    expect(res.code).toBe(0);
    const { headers } = JSON.parse(res.stdout) as { headers: Record<string, string[]> };
    expect(headers['Host']).toEqual(['httpbin:8000']);
    expect(headers['User-Agent']?.[0]).toMatch(/^curl\//);
    expect(headers['X-Request-Id']?.[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the legacy sleep has no sidecar and reaches httpbin.default through the Service address, not through a proxy', async () => {
    const legacy = await workload('sleep-', 'legacy');
    expect(legacy.sidecar).toBe(false);
    await expect(request(`http://${legacy.address}:15021/healthz/ready`)).rejects.toThrow();
    const res = await exec('-n', 'legacy', 'deploy/sleep', '--', 'curl', '-s', 'http://httpbin.default:8000/headers');
    expect(res.code).toBe(0);
    const { headers } = JSON.parse(res.stdout) as { headers: Record<string, string[]> };
    expect(headers['Host']).toEqual(['httpbin.default:8000']);
    const probe = await exec('-n', 'legacy', 'sleep', '--', 'sh', '-c', 'echo "proxy=${http_proxy:-none}"; getent hosts httpbin.default');
    expect(probe.stdout).toMatch(/^proxy=none\n127\.\d+\.\d+\.\d+\s+httpbin\.default /);
  });

  it("a failing command's exit code comes back with kubectl's line", async () => {
    const res = await exec('sleep', '--', 'curl', '-s', '-f', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin:8000/status/418');
    expect([res.code, res.stdout, res.stderr]).toEqual([22, '418', 'command terminated with exit code 22\n']);
  });
});

// The built `trellis` CLI against the real apiserver (--kubeconfig): apply/get/analyze/delete through the
// Istio CRDs, x describe pod from Pods/Services, and proxy-status against a control plane run --registry kube.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { createAdsClient, type AdsClient } from '@trellis/mesh-xds';
import { silentLogger } from '@trellis/shared';
import type { KubeObject } from './client/types';
import { adminClient, createNamespace, ensureCrds, eventually, kubeTestEnv, stopProcess } from './testing/kube-test-env';

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'dist/apps/cli/main.js');
const NS = 'cli-kube';
const client = adminClient();
const dir = mkdtempSync(path.join(tmpdir(), 'trellis-cli-kube-'));
const vs = (subset: string): string => `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: ${subset}}}]}]
`;
const DR = 'apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}\n';
const BAD = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: broken}\nspec: {hosts: [reviews], http: [{route: [{destination: {subset: v1}}]}]}\n';
let cp: ChildProcess | undefined;
let ads: AdsClient | undefined;
let httpPort = 0;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a clean environment (no KUBECONFIG, HOME without ~/.kube). */
function trellis(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: dir }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}
const kube = (...args: string[]): Promise<Result> => trellis('--kubeconfig', kubeTestEnv().kubeconfig, '-n', NS, ...args);

/** Rebuild the CLI bundle when a source file is newer (the global setup only builds when nothing is built). */
function ensureFreshCli(): void {
  const newest = (d: string): number =>
    Math.max(...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(d, e.name)) : statSync(path.join(d, e.name)).mtimeMs)));
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest(path.join(ROOT, 'apps/cli/src'))) execFileSync(process.execPath, [path.join(ROOT, 'tools/build/build.mjs'), 'cli', '--quiet'], { stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function readyPod(name: string, labels: Record<string, string>, ip: string, ns = NS): Promise<void> {
  const api = `/api/v1/namespaces/${ns}`;
  const body = { metadata: { name, labels, annotations: { 'sidecar.istio.io/status': '{}' } }, spec: { containers: [{ name: 'app', image: 'app:dev', ports: [{ containerPort: 9080 }] }] } };
  await client.request('POST', `${api}/pods`, { body });
  const current = await client.request<KubeObject>('GET', `${api}/pods/${name}`);
  const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] };
  await client.request('PUT', `${api}/pods/${name}/status`, { body: { ...current, status } });
}

beforeAll(async () => {
  ensureFreshCli();
  writeFileSync(path.join(dir, 'vs.yaml'), vs('v1'));
  writeFileSync(path.join(dir, 'vs-v2.yaml'), vs('v2'));
  writeFileSync(path.join(dir, 'dr.yaml'), DR);
  writeFileSync(path.join(dir, 'bad.yaml'), BAD);
  await Promise.all([createNamespace(client, NS), createNamespace(client, 'istio-system'), ensureCrds(client)]);
  await client.request('POST', `/api/v1/namespaces/${NS}/services`, { body: { metadata: { name: 'reviews' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } } });
  await readyPod('reviews-v2', { app: 'reviews', version: 'v2' }, '10.244.7.12');
});

afterAll(async () => {
  ads?.close();
  await stopProcess(cp);
  await client.request('DELETE', `/api/v1/namespaces/${NS}`).catch(() => undefined);
  for (const what of ['services/istiod', 'endpoints/istiod', 'pods/istiod-0']) {
    await client.request('DELETE', `/api/v1/namespaces/istio-system/${what}`, { query: { gracePeriodSeconds: '0' } }).catch(() => undefined);
  }
});

it('ends quietly with exit code 0 when its stdout closes early (trellis … | head -1)', async () => {
  const child = spawn(process.execPath, [CLI, 'kube-inject', '-f', path.join(ROOT, 'samples/bookinfo/platform/kube/bookinfo.yaml')], { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.destroy(); // the reader is gone before the first write: that write gets EPIPE
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
});

it('applies a file: created, then unchanged, then configured; invalid batches write nothing', async () => {
  expect(await kube('apply', '-f', 'vs.yaml')).toEqual({ code: 0, stdout: 'virtualservice.networking.istio.io/reviews created\n', stderr: '' });
  expect((await kube('apply', '-f', 'vs.yaml')).stdout).toBe('virtualservice.networking.istio.io/reviews unchanged\n');
  expect((await kube('apply', '-f', 'vs-v2.yaml')).stdout).toBe('virtualservice.networking.istio.io/reviews configured\n');
  const stored = await client.request<{ spec: unknown }>('GET', `/apis/networking.istio.io/v1beta1/namespaces/${NS}/virtualservices/reviews`);
  expect(JSON.stringify(stored.spec)).toContain('"subset":"v2"');
  const bad = await kube('apply', '-f', 'dr.yaml', '-f', 'bad.yaml');
  expect(bad).toEqual({ code: 1, stdout: '', stderr: 'Error: VirtualService cli-kube/broken: spec.http[0].route[0].destination.host: required field is missing\n' });
  expect((await kube('get', 'dr')).stdout).toBe('No resources found in cli-kube namespace.\n');
});

it('gets a table, YAML, and kubectl NotFound errors', async () => {
  const table = await kube('get', 'vs');
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^NAME\s+GATEWAYS\s+HOSTS\s+AGE\nreviews\s+\["reviews"\]\s+\d+s\n$/);
  const yaml = await kube('get', 'virtualservice', 'reviews', '-o', 'yaml');
  expect(yaml.stdout).toMatch(/^apiVersion: networking\.istio\.io\/v1\w*\nkind: VirtualService\nmetadata:\n {2}creationTimestamp: \S+\n {2}generation: 2\n {2}name: reviews\n {2}namespace: cli-kube\n/);
  expect(yaml.stdout).toContain('subset: v2');
  expect(await kube('get', 'vs', 'ghost')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): virtualservices.networking.istio.io "ghost" not found\n' });
});

it('analyzes the cluster: IST0101 for a missing subset, clean once the DestinationRule is applied', async () => {
  const before = await kube('analyze');
  expect(before).toEqual({
    code: 79,
    stdout: 'Error [IST0101] (VirtualService cli-kube/reviews) Referenced host+subset in destinationrule not found: "reviews+v2"\n',
    // stdout is istioctl's; the hint towards `x route` goes to stderr.
    stderr: 'Hint: see where a request goes with this config: trellis x route <pod> --host <host:port> --path <path> [--header name=value]\n',
  });
  expect((await kube('analyze', 'dr.yaml')).code).toBe(0);
  expect((await kube('apply', '-f', 'dr.yaml')).stdout).toBe('destinationrule.networking.istio.io/reviews created\n');
  expect(await kube('analyze')).toEqual({ code: 0, stdout: '\u2714 No validation issues found when analyzing namespace: cli-kube.\n', stderr: '' });
});

it('describes a pod from the cluster', async () => {
  const res = await kube('x', 'describe', 'pod', 'reviews-v2');
  expect(res.stderr).toBe('');
  expect(res.stdout).toContain('reviews-v2');
  expect(res.stdout).toContain('DestinationRule: reviews');
  expect(res.stdout).toContain('VirtualService: reviews');
});

it('deletes by file and by name', async () => {
  expect(await kube('delete', '-f', 'vs.yaml')).toEqual({ code: 0, stdout: 'virtualservice.networking.istio.io "reviews" deleted\n', stderr: '' });
  expect(await kube('delete', '-f', 'vs.yaml')).toEqual({
    code: 1,
    stdout: '',
    stderr: 'Error from server (NotFound): error when deleting "vs.yaml": virtualservices.networking.istio.io "reviews" not found\n',
  });
  expect((await kube('delete', 'dr', 'reviews')).stdout).toBe('destinationrule.networking.istio.io "reviews" deleted\n');
});

it('reports an unreachable API server and an unknown context in one line', async () => {
  const config = readFileSync(kubeTestEnv().kubeconfig, 'utf8').replace(/server: \S+/, 'server: https://127.0.0.1:1');
  writeFileSync(path.join(dir, 'down.kubeconfig'), config);
  const down = await trellis('--kubeconfig', 'down.kubeconfig', 'get', 'vs');
  expect(down.stderr).toBe('Error: could not reach the Kubernetes API server at https://127.0.0.1:1 (connect ECONNREFUSED): check --kubeconfig / --context, or use --addr for the local control plane\n');
  const ctx = await trellis('--kubeconfig', kubeTestEnv().kubeconfig, '--context', 'nope', 'get', 'vs');
  expect(ctx).toEqual({ code: 1, stdout: '', stderr: `error: context "nope" does not exist in ${kubeTestEnv().kubeconfig}\n` });
});

describe('proxy-status against a control plane in Kubernetes mode', () => {
  beforeAll(async () => {
    const xdsPort = await freePort();
    httpPort = await freePort();
    const args = ['--registry', 'kube', '--kubeconfig', kubeTestEnv().kubeconfig, '--host', '0.0.0.0', '--xds-port', String(xdsPort), '--http-port', String(httpPort), '--webhook-port', '0'];
    cp = spawn(process.execPath, [path.join(ROOT, 'dist/apps/control-plane/main.js'), ...args], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' } });
    await eventually('control plane ready', async () => ((await fetch(`http://127.0.0.1:${httpPort}/ready`)).status === 200 ? true : undefined), 30_000);
    ads = createAdsClient({
      target: `127.0.0.1:${xdsPort}`,
      node: { id: `sidecar~10.244.7.20~client-1.${NS}~${NS}.svc.cluster.local`, metadata: { NAMESPACE: NS, LABELS: { app: 'client' }, INTERCEPTION_MODE: 'REDIRECT' } },
      logger: silentLogger(),
      onResources: () => undefined,
    });
  });

  it('shows the connected proxy as SYNCED with --istiod-addr', async () => {
    const row = /^client-1\.cli-kube\s+Kubernetes\s+SYNCED\s+SYNCED\s+SYNCED\s+SYNCED\s+\S+/m;
    let last: Result | undefined;
    const res = await eventually('a SYNCED proxy', async () => {
      last = await kube('--istiod-addr', `http://127.0.0.1:${httpPort}`, 'proxy-status');
      return row.test(last.stdout) ? last : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}; last: ${JSON.stringify(last)}`);
    });
    expect(res.stdout).toMatch(/^NAME\s+CLUSTER\s+CDS\s+LDS\s+EDS\s+RDS\s+ISTIOD\s+VERSION\n/);
    expect((await kube('--istiod-addr', `http://127.0.0.1:${httpPort}`, 'version', '--short')).stdout).toMatch(/^client version: .+\ncontrol plane version: .+\ndata plane version: .+\n$/);
  });

  it('reaches istiod through the API server service proxy by default', async () => {
    const ip = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    if (ip === undefined) return; // the apiserver refuses loopback endpoints: nothing to point the Service at
    // The service proxy only dials endpoints that are Pods with that IP: a Pod "running" on this host's address.
    await readyPod('istiod-0', { app: 'istiod' }, ip, 'istio-system');
    const api = '/api/v1/namespaces/istio-system';
    await client.request('POST', `${api}/services`, { body: { metadata: { name: 'istiod' }, spec: { ports: [{ name: 'http-monitoring', port: 15014, targetPort: httpPort }] } } });
    const address = { ip, targetRef: { kind: 'Pod', namespace: 'istio-system', name: 'istiod-0' } };
    const subsets = [{ addresses: [address], ports: [{ name: 'http-monitoring', port: httpPort }] }];
    await client.request('POST', `${api}/endpoints`, { body: { metadata: { name: 'istiod' }, subsets } });
    let last: Result | undefined;
    const res = await eventually('proxy-status through the service proxy', async () => {
      last = await kube('proxy-status');
      return last.code === 0 && last.stdout.includes('client-1.cli-kube') ? last : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}; last: ${JSON.stringify(last)}`);
    });
    expect(res.stdout).toMatch(/^client-1\.cli-kube\s+Kubernetes\s+SYNCED/m);
  });
});

import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkloadInstance } from '@trellis/mesh-api';
import type { SyncStatus } from '../client/api-types';
import { type FakeControlPlane, runCli, startFakeControlPlane } from '../testing/fake-control-plane';
import { podRef } from './pod-ref';
import { ENVOY_ADMIN_PATHS } from './pod-dashboards';

// `trellis dashboard envoy|controlz` in local mode: a fake control plane and a real admin socket on port 0.
const proxyOf = (pod: string, ip: string): SyncStatus => ({
  id: `sidecar~${ip}~${pod}.default~default.svc.cluster.local`,
  proxy: { id: 'x', type: 'sidecar' as const, ipAddress: ip, workloadName: pod, namespace: 'default', labels: {}, interception: 'NONE' as const },
  connectedAt: new Date().toISOString(),
  types: {},
});
const workload = (name: string, labels: Record<string, string>): WorkloadInstance => ({ name, namespace: 'default', address: '127.0.0.1', labels, serviceAccount: 'x', sidecar: true, ready: true });
const NOTE = `Note: ${ENVOY_ADMIN_PATHS}\n`;

describe('trellis dashboard envoy|controlz (local mode)', () => {
  let cp: FakeControlPlane;
  let admin: Server;
  let port: number;
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-podash-'));
  const cli = (...argv: string[]) => runCli(['--addr', cp.url, '--state-dir', dir, ...argv], { cwd: dir });
  beforeAll(async () => {
    cp = await startFakeControlPlane();
    cp.syncz.push(proxyOf('productpage-v1-123-456', '127.0.0.1'), proxyOf('reviews-v2-9-8', '127.0.0.9'));
    cp.workloads.push(workload('productpage-v1-123-456', { app: 'productpage', version: 'v1' }), workload('reviews-v2-9-8', { app: 'reviews', version: 'v2' }));
    admin = createServer((_req, res) => res.writeHead(404).end('invalid path\n'));
    await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
    port = (admin.address() as { port: number }).port;
  });
  afterAll(async () => {
    await cp.close();
    await new Promise((resolve) => admin.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('envoy: the pod’s admin address, by pod.namespace, pod/ with -n, deployment/ and -l', async () => {
    const url = `http://127.0.0.1:${port}\nskipping opening a browser\n`;
    expect(await cli('dashboard', 'envoy', 'productpage-v1-123-456.default', '--ui-port', String(port), '--browser=false')).toEqual({ code: 0, stdout: url, stderr: NOTE });
    expect((await cli('dashboard', 'envoy', 'pod/productpage-v1-123-456', '-n', 'default', '--ui-port', String(port), '--browser=false')).stdout).toBe(url);
    expect((await cli('d', 'envoy', 'deployment/productpage-v1', '--ui-port', String(port), '--browser', 'false')).stdout).toBe(url);
    expect((await cli('dashboard', 'envoy', '-l', 'app=productpage', '--ui-port', String(port), '--browser=false')).stdout).toBe(url);
    expect((await cli('dashboard', 'envoy', '--selector', 'app=productpage,version=v1', '--ui-port', String(port), '--browser=false')).stdout).toBe(url);
  });

  it('envoy: istioctl’s errors, an unknown pod, and an admin port nothing answers on', async () => {
    expect((await cli('dashboard', 'envoy', '--browser=false')).stderr).toBe(`error: specify a pod or --selector\n`);
    expect((await cli('dashboard', 'envoy', 'x', '-l', 'app=x', '--browser=false')).stderr).toBe(`error: name cannot be provided when a selector is specified\n`);
    expect((await cli('dashboard', 'envoy', '-l', 'app=nope', '--browser=false')).stderr).toBe(`Error: no pods found with selector app=nope in namespace default\n`);
    expect((await cli('dashboard', 'envoy', 'ghost-1.default', '--browser=false')).stderr).toBe(`Error: proxy ghost-1.default is not connected to the control plane\n`);
    const res = await cli('dashboard', 'envoy', 'reviews-v2-9-8', '--ui-port', '1', '--browser=false');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Error: Envoy sidecar reviews-v2-9-8\.default does not answer at http:\/\/127\.0\.0\.9:1 /);
  });

  it('controlz: the local control plane’s debug page, no pod needed', async () => {
    expect(await cli('dashboard', 'controlz', '--browser=false')).toEqual({ code: 0, stdout: `${cp.url}/debug/syncz\nskipping opening a browser\n`, stderr: '' });
  });

  it('reads [<type>/]<name>[.<namespace>] as istioctl does', () => {
    expect(podRef('istiod-5d-abc.istio-system', undefined, 'default')).toEqual({ kind: 'pod', name: 'istiod-5d-abc', namespace: 'istio-system' });
    expect(podRef('deploy/productpage-v1', undefined, 'bookinfo')).toEqual({ kind: 'deployment', name: 'productpage-v1', namespace: 'bookinfo' });
    expect(podRef(undefined, 'app=istiod', 'istio-system')).toEqual({ kind: 'selector', selector: 'app=istiod', namespace: 'istio-system' });
    expect(() => podRef('svc/productpage', undefined, 'default')).toThrow('unsupported resource type "svc": use pod/<name> or deployment/<name>');
  });
});

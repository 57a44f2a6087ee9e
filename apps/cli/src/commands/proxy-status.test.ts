import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SyncStatus } from '../client/api-types';
import { type FakeControlPlane, runCli, startFakeControlPlane } from '../testing/fake-control-plane';

/** `trellis proxy-status` in local mode: the pods' restarts from the runner's `<state>/local-pods.json`. */
const proxyOf = (pod: string, ip: string): SyncStatus => ({
  id: `sidecar~${ip}~${pod}.default~default.svc.cluster.local`,
  proxy: { id: 'x', type: 'sidecar' as const, ipAddress: ip, workloadName: pod, namespace: 'default', labels: {}, interception: 'NONE' as const },
  connectedAt: new Date().toISOString(),
  types: { CDS: { status: 'SYNCED' as const }, LDS: { status: 'SYNCED' as const }, EDS: { status: 'SYNCED' as const }, RDS: { status: 'SYNCED' as const } },
});
const processes = [
  { name: 'control-plane', state: 'Running', restarts: 2, startedAt: 1 },
  { name: 'istio-ingressgateway-a1', state: 'Running', restarts: 1, startedAt: 1 },
  { name: 'reviews-v2-b2', state: 'Running', restarts: 3, lastExitCode: 137, startedAt: 1 },
  { name: 'reviews-v2-b2.istio-proxy', state: 'CrashLoopBackOff', restarts: 1, lastExitCode: 137, startedAt: 1 },
  { name: 'ratings-v1-c3', state: 'Running', restarts: 0, startedAt: 1 },
  { name: 'ratings-v1-c3.istio-proxy', state: 'Running', restarts: 0, startedAt: 1 },
];

describe('trellis proxy-status in local mode', () => {
  let cp: FakeControlPlane;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-ps-'));
  const cli = (...argv: string[]) => runCli(['--addr', cp.url, '--state-dir', stateDir, ...argv], { cwd: stateDir });

  beforeEach(async () => {
    cp = await startFakeControlPlane();
    cp.syncz.push(proxyOf('reviews-v2-b2', '127.0.10.11'), proxyOf('ratings-v1-c3', '127.0.10.12'), { ...proxyOf('istio-ingressgateway-a1', '127.0.10.2'), proxy: { ...proxyOf('istio-ingressgateway-a1', '127.0.10.2').proxy, type: 'router' as const, namespace: 'istio-system' } });
    writeFileSync(path.join(stateDir, 'local-pods.json'), JSON.stringify({ pods: [], processes }));
  });
  afterEach(() => cp.close());

  it("adds kubectl's RESTARTS per pod (app + sidecar added up) to istioctl's table", async () => {
    const res = await cli('proxy-status');
    expect(res.stdout.split('\n')[0]).toMatch(/^NAME\s+CLUSTER\s+CDS\s+LDS\s+EDS\s+RDS\s+ISTIOD\s+VERSION\s+RESTARTS$/);
    expect(res.stdout).toMatch(/^istio-ingressgateway-a1\.istio-system\s+Kubernetes(\s+SYNCED){4}\s+trellis-control-plane\s+\S+\s+1$/m);
    expect(res.stdout).toMatch(/^ratings-v1-c3\.default\s.*\s0$/m);
    expect(res.stdout).toMatch(/^reviews-v2-b2\.default\s.*\s4$/m);
  });

  it('keeps -o json|yaml: the sync status with each proxy\'s restarts', async () => {
    const json = JSON.parse((await cli('proxy-status', 'reviews-v2-b2', '-o', 'json')).stdout) as { id: string; restarts: number }[];
    expect(json).toEqual([expect.objectContaining({ id: proxyOf('reviews-v2-b2', '127.0.10.11').id, restarts: 4 })]);
    expect((await cli('ps', '-o', 'yaml')).stdout).toMatch(/restarts: 4/);
  });

  it('shows no RESTARTS column when no stack is supervised (no local-pods.json)', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'trellis-ps-none-'));
    const res = await runCli(['--addr', cp.url, '--state-dir', other, 'proxy-status'], { cwd: other });
    expect(res.stdout.split('\n')[0]).toMatch(/VERSION$/);
  });
});

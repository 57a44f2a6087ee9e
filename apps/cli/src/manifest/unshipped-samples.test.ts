import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkloadInstance } from '@trellis/mesh-api';
import { type FakeControlPlane, runCli, startFakeControlPlane } from '../testing/fake-control-plane';

// `trellis apply -f` of Istio's samples that route to workloads Trellis does not ship: a warning, not a failure.
const networking = path.resolve(__dirname, '../../../../samples/bookinfo/networking');
const workload = (app: string, version: string): WorkloadInstance => ({
  name: `${app}-${version}-abc`,
  namespace: 'default',
  address: '127.0.0.1',
  labels: { app, version },
  serviceAccount: `bookinfo-${app}`,
  sidecar: true,
  ready: true,
});

describe('trellis apply: hints for samples Trellis does not ship', () => {
  let cp: FakeControlPlane;
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-hint-'));
  const cli = (...argv: string[]) => runCli(['--addr', cp.url, ...argv], { cwd: dir });
  beforeEach(async () => {
    cp = await startFakeControlPlane();
  });
  afterEach(() => cp.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('details v2: applied, one warning naming the workload and what to use', async () => {
    cp.workloads.push(workload('details', 'v1'));
    const res = await cli('apply', '-f', path.join(networking, 'virtual-service-details-v2.yaml'));
    expect(res).toEqual({
      code: 0,
      stdout: 'virtualservice.networking.istio.io/details created\n',
      stderr:
        "Warning: VirtualService default/details routes details to subset v2, but no details v2 workload runs and Trellis does not ship details v2 (Istio's bookinfo-details-v2.yaml); Trellis ships details v1 only: route details to subset v1 (virtual-service-all-v1.yaml)\n",
    });
  });

  it('ratings-db: the MongoDB ratings v2 is named and --with mysql offered; reviews v3 says nothing', async () => {
    cp.workloads.push(workload('reviews', 'v3'));
    const res = await cli('apply', '-f', path.join(networking, 'virtual-service-ratings-db.yaml'));
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('virtualservice.networking.istio.io/reviews created\nvirtualservice.networking.istio.io/ratings created\n');
    expect(res.stderr.split('\n')).toEqual([
      expect.stringMatching(/^Warning: VirtualService default\/ratings routes ratings to subset v2, .*ratings v2 with MongoDB .*bookinfo-db\.yaml.*npm start -- --with mysql .*bookinfo-ratings-v2-mysql\.yaml\) and virtual-service-ratings-mysql\.yaml$/),
      '',
    ]);
  });

  it('no warning when the subset’s workload runs, nor for the samples Trellis ships', async () => {
    cp.workloads.push(workload('ratings', 'v2'), workload('reviews', 'v3'));
    expect((await cli('apply', '-f', path.join(networking, 'virtual-service-ratings-db.yaml'))).stderr).toBe('');
    expect((await cli('apply', '-f', path.join(networking, 'virtual-service-ratings-mysql.yaml'))).stderr).toBe('');
    expect((await cli('apply', '-f', path.join(networking, 'virtual-service-all-v1.yaml'))).stderr).toBe('');
  });
});

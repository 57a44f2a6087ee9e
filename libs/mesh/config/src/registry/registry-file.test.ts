import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@trellis/shared';
import { LocalRegistry } from './local-registry';
import { persistRegistry } from './registry-file';

const service = {
  name: 'reviews',
  namespace: 'default',
  hostname: 'reviews.default.svc.cluster.local',
  ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' as const }],
  selector: { app: 'reviews' },
};
const workload = {
  name: 'reviews-v1-abc-def',
  namespace: 'default',
  address: '127.0.10.12',
  labels: { app: 'reviews', version: 'v1' },
  serviceAccount: 'bookinfo-reviews',
  sidecar: true,
  ready: true,
};

describe('persistRegistry', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'registry-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every change and restores it into a fresh registry', async () => {
    const file = path.join(dir, 'registry.json');
    const first = new LocalRegistry();
    const p = persistRegistry(first, file, silentLogger());
    first.upsertService(service);
    first.upsertWorkload(workload);
    await p.flush();
    p.stop();
    expect(JSON.parse(readFileSync(file, 'utf8')).workloads).toHaveLength(1);

    const second = new LocalRegistry();
    persistRegistry(second, file, silentLogger()).stop();
    expect(second.services()).toEqual([expect.objectContaining({ name: 'reviews' })]);
    expect(second.workloads()).toEqual([expect.objectContaining({ name: 'reviews-v1-abc-def', address: '127.0.10.12' })]);
  });

  it('starts empty from a corrupt file and skips invalid entries', () => {
    const file = path.join(dir, 'registry.json');
    writeFileSync(file, '{not json');
    const r = new LocalRegistry();
    persistRegistry(r, file, silentLogger()).stop();
    expect(r.services()).toEqual([]);
    writeFileSync(file, JSON.stringify({ services: [{ name: 1 }], workloads: [workload] }));
    const r2 = new LocalRegistry();
    persistRegistry(r2, file, silentLogger()).stop();
    expect(r2.services()).toEqual([]);
    expect(r2.workloads()).toHaveLength(1);
  });
});

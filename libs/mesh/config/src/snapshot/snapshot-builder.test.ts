import type { MeshService, MeshSnapshot, WorkloadInstance } from '@trellis/mesh-api';
import { LocalRegistry, MemoryConfigStore, SnapshotBuilder } from '../index';

const service = (name: string): MeshService => ({
  name,
  namespace: 'default',
  hostname: `${name}.default.svc.cluster.local`,
  ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }],
  selector: { app: name },
});

const workload = (name: string): WorkloadInstance => ({
  name,
  namespace: 'default',
  address: '127.0.0.2',
  labels: { app: 'reviews', version: 'v1' },
  serviceAccount: 'bookinfo-reviews',
  sidecar: true,
  ready: true,
});

const dr = (name: string): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name },
  spec: { host: name, subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
});

describe('LocalRegistry', () => {
  it('upserts, reports unchanged values, removes and notifies', () => {
    const registry = new LocalRegistry();
    const seen: string[] = [];
    registry.onChange((c) => seen.push(`${c.type}:${c.action}:${c.name}`));
    expect(registry.upsertService(service('reviews'))).toBe('created');
    expect(registry.upsertService(service('reviews'))).toBe('unchanged');
    expect(registry.upsertService({ ...service('reviews'), labels: { a: 'b' } })).toBe('configured');
    expect(registry.upsertWorkload(workload('reviews-v1-1'))).toBe('created');
    expect(registry.removeService('default', 'reviews')).toBe(true);
    expect(registry.removeService('default', 'reviews')).toBe(false);
    expect(registry.removeWorkload('default', 'reviews-v1-1')).toBe(true);
    expect(seen).toEqual(['service:created:reviews', 'service:configured:reviews', 'workload:created:reviews-v1-1', 'service:removed:reviews', 'workload:removed:reviews-v1-1']);
  });
});

describe('SnapshotBuilder', () => {
  it('builds immutable snapshots whose revision increments on every change', async () => {
    let t = 0;
    const store = new MemoryConfigStore({ now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)) });
    const registry = new LocalRegistry();
    const builder = new SnapshotBuilder({ store, registry });
    const seen: MeshSnapshot[] = [];
    builder.onChange((s) => seen.push(s));
    const initial = builder.current();
    expect(initial).toMatchObject({ revision: 1, domainSuffix: 'cluster.local', rootNamespace: 'istio-system', destinationRules: [] });

    await store.applyAll([dr('zeta')]);
    await store.applyAll([dr('alpha')]);
    await store.applyAll([dr('alpha')]); // unchanged: no new snapshot
    registry.upsertService(service('reviews'));
    registry.upsertWorkload(workload('reviews-v1-1'));

    const snap = builder.current();
    expect(seen.map((s) => s.revision)).toEqual([2, 3, 4, 5]);
    expect(snap.revision).toBe(5);
    // oldest first, like Istio's precedence order
    expect(snap.destinationRules.map((d) => d.metadata.name)).toEqual(['zeta', 'alpha']);
    expect(snap.services.map((s) => s.name)).toEqual(['reviews']);
    expect(snap.workloads.map((w) => w.name)).toEqual(['reviews-v1-1']);
    expect(Object.isFrozen(snap)).toBe(true);
    expect(Object.isFrozen(snap.destinationRules)).toBe(true);
    expect(initial.destinationRules).toEqual([]);

    builder.close();
    registry.removeService('default', 'reviews');
    expect(builder.current().revision).toBe(5);
  });
});

import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import { labelsMatch, selectWorkloads, servicesSelecting } from './label-index';

/** A small deterministic generator, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function labelsOf(r: () => number, n: number): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = ['app', 'version', 'tier', 'team'];
  for (let i = 0; i < n; i++) out[keys[Math.floor(r() * keys.length)]!] = `v${Math.floor(r() * 3)}`;
  return out;
}

const r = rng(42);
const namespaces = ['default', 'prod'];
const workloads: WorkloadInstance[] = Array.from({ length: 300 }, (_, i) => ({
  name: `w${i}`, namespace: namespaces[i % 2]!, address: `10.0.${i >> 8}.${i & 255}`, labels: labelsOf(r, 3),
  serviceAccount: 'default', sidecar: true, ready: true,
}));
const services: MeshService[] = Array.from({ length: 120 }, (_, i) => ({
  name: `s${i}`, namespace: namespaces[i % 2]!, hostname: `s${i}.x`, ports: [], selector: labelsOf(r, 1 + (i % 3)),
}));

describe('label indexes', () => {
  it('selectWorkloads equals a scan of every workload, in registry order', () => {
    for (const svc of services) {
      const scan = workloads.filter((w) => w.namespace === svc.namespace && labelsMatch(svc.selector, w.labels));
      expect(selectWorkloads(workloads, svc.namespace, svc.selector)).toEqual(scan);
    }
    expect(selectWorkloads(workloads, 'default', {})).toEqual([]);
  });

  it('servicesSelecting equals a scan of every service, in registry order', () => {
    let matched = 0;
    for (const w of workloads) {
      const scan = services.filter((s) => s.namespace === w.namespace && Object.keys(s.selector).length > 0 && labelsMatch(s.selector, w.labels));
      matched += scan.length;
      expect(servicesSelecting(services, w.namespace, w.labels)).toEqual(scan);
    }
    expect(matched).toBeGreaterThan(100); // the data really exercises matches
  });

  it('labelsMatch: every selector label must be equal; no selector matches all', () => {
    expect(labelsMatch({ app: 'a', v: '1' }, { app: 'a', v: '1', x: 'y' })).toBe(true);
    expect(labelsMatch({ app: 'a', v: '2' }, { app: 'a', v: '1' })).toBe(false);
    expect(labelsMatch(undefined, {})).toBe(true);
  });
});

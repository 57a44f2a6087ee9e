import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import { labelsMatch } from '@trellis/mesh-api';

/**
 * Per-snapshot indexes for label selection, so each lookup touches the few candidates that share a
 * label with the query instead of every workload or service (O(S·W) per change, O(S) per proxy
 * otherwise). Keyed by the snapshot's arrays, which are immutable once built.
 */

const pairKey = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}=${value}`;

function firstPair(selector: Readonly<Record<string, string>>): [string, string] | undefined {
  for (const k in selector) return [k, selector[k] ?? ''];
  return undefined;
}

/** Label selection is mesh-api's `labelsMatch` (allocation-free; an empty selector matches all). */
export { labelsMatch };

const workloadsByPair = new WeakMap<readonly WorkloadInstance[], Map<string, WorkloadInstance[]>>();

/** Workloads in `namespace` whose labels satisfy a non-empty `selector`, in registry order. */
export function selectWorkloads(workloads: readonly WorkloadInstance[], namespace: string, selector: Readonly<Record<string, string>>): WorkloadInstance[] {
  const first = firstPair(selector);
  if (first === undefined) return [];
  let index = workloadsByPair.get(workloads);
  if (index === undefined) {
    index = new Map();
    for (const w of workloads) {
      for (const k in w.labels) {
        const key = pairKey(w.namespace, k, w.labels[k] ?? '');
        const list = index.get(key);
        if (list === undefined) index.set(key, [w]);
        else list.push(w);
      }
    }
    workloadsByPair.set(workloads, index);
  }
  const candidates = index.get(pairKey(namespace, first[0], first[1])) ?? [];
  return candidates.filter((w) => labelsMatch(selector, w.labels));
}

const servicesByPair = new WeakMap<readonly MeshService[], Map<string, number[]>>();

/** Services in `namespace` with a non-empty selector that `labels` satisfy, in registry order. */
export function servicesSelecting(services: readonly MeshService[], namespace: string, labels: Readonly<Record<string, string>>): MeshService[] {
  let index = servicesByPair.get(services);
  if (index === undefined) {
    const built = new Map<string, number[]>();
    services.forEach((svc, i) => {
      const first = firstPair(svc.selector);
      if (first === undefined) return;
      const key = pairKey(svc.namespace, first[0], first[1]);
      const list = built.get(key);
      if (list === undefined) built.set(key, [i]);
      else list.push(i);
    });
    servicesByPair.set(services, built);
    index = built;
  }
  const hits: number[] = [];
  for (const k in labels) {
    const list = index.get(pairKey(namespace, k, labels[k] ?? ''));
    if (list !== undefined) hits.push(...list);
  }
  hits.sort((a, b) => a - b);
  const out: MeshService[] = [];
  for (const i of hits) {
    const svc = services[i];
    if (svc !== undefined && labelsMatch(svc.selector, labels)) out.push(svc);
  }
  return out;
}

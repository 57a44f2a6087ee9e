import type { XdsResources } from '@trellis/mesh-envoy';
import { deepEqual } from './deep-equal';

type Named = { readonly name?: string; readonly cluster_name?: string };

const nameOf = (r: Named): string => r.name ?? r.cluster_name ?? '';

/**
 * `next` with every resource equal to one in `prev` (same name, same content) replaced by that
 * object, and every list whose members are all unchanged replaced by `prev`'s list — so consumers
 * that cache by identity (the ADS server's encodings, packed sets, versions) redo nothing for what
 * a change did not touch.
 */
function internList<T extends Named>(next: readonly T[], prev: readonly T[] | undefined): readonly T[] {
  if (prev === undefined || next === prev) return next;
  const old = new Map(prev.map((r) => [nameOf(r), r]));
  let same = next.length === prev.length;
  const out = next.map((r, i) => {
    const o = old.get(nameOf(r));
    const v = o !== undefined && deepEqual(o, r) ? o : r;
    if (v !== prev[i]) same = false;
    return v;
  });
  return same ? prev : out;
}

/** `next` sharing what it can with `prev`; `prev` itself when nothing differs. */
export function internResources(next: XdsResources, prev: XdsResources | undefined): XdsResources {
  if (prev === undefined || next === prev) return next;
  const listeners = internList(next.listeners, prev.listeners);
  const routes = internList(next.routes, prev.routes);
  const clusters = internList(next.clusters, prev.clusters);
  const endpoints = internList(next.endpoints, prev.endpoints);
  const secrets = next.secrets === undefined ? undefined : internList(next.secrets, prev.secrets);
  const unchanged = listeners === prev.listeners && routes === prev.routes && clusters === prev.clusters && endpoints === prev.endpoints && secrets === prev.secrets;
  if (unchanged) return prev;
  return { ...next, listeners, routes, clusters, endpoints, ...(secrets === undefined ? {} : { secrets }) };
}

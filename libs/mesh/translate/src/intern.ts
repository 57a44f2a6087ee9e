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
function internList<T extends Named>(next: readonly T[], prev: readonly T[] | undefined, changed: (next: T, prev: T) => T = (r) => r): readonly T[] {
  if (prev === undefined || next === prev) return next;
  const old = new Map(prev.map((r) => [nameOf(r), r]));
  let same = next.length === prev.length;
  const out = next.map((r, i) => {
    const o = old.get(nameOf(r));
    const v = o === undefined ? r : deepEqual(o, r) ? o : changed(r, o);
    if (v !== prev[i]) same = false;
    return v;
  });
  return same ? prev : out;
}

type RouteConfig = XdsResources['routes'][number];

/**
 * A changed RouteConfiguration keeps its unchanged virtual hosts' objects: a one-service change
 * re-encodes one virtual host (VHDS encodes each by identity), not the whole table.
 */
function internVirtualHosts(next: RouteConfig, prev: RouteConfig): RouteConfig {
  const hosts = next.virtual_hosts;
  if (hosts === undefined || prev.virtual_hosts === undefined) return next;
  const interned = internList(hosts, prev.virtual_hosts);
  // Resources are immutable once translated: sharing prev's hosts (or their list) is safe.
  return interned === hosts ? next : { ...next, virtual_hosts: interned as NonNullable<RouteConfig['virtual_hosts']> };
}

/** `next` sharing what it can with `prev`; `prev` itself when nothing differs. */
export function internResources(next: XdsResources, prev: XdsResources | undefined): XdsResources {
  if (prev === undefined || next === prev) return next;
  const listeners = internList(next.listeners, prev.listeners);
  const routes = internList(next.routes, prev.routes, internVirtualHosts);
  const clusters = internList(next.clusters, prev.clusters);
  const endpoints = internList(next.endpoints, prev.endpoints);
  const secrets = next.secrets === undefined ? undefined : internList(next.secrets, prev.secrets);
  const unchanged = listeners === prev.listeners && routes === prev.routes && clusters === prev.clusters && endpoints === prev.endpoints && secrets === prev.secrets;
  if (unchanged) return prev;
  return { ...next, listeners, routes, clusters, endpoints, ...(secrets === undefined ? {} : { secrets }) };
}

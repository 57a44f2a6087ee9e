import type { DeltaDiscoveryResponse } from '../proto/delta-types';
import { decodeAnyValue } from '../proto/wire-decode';
import type { XdsResource } from '../resources';
import { isVhdsShell, materialize, routeConfigOf } from '../vhds/vhds';

export interface HeldResource {
  readonly version: string;
  readonly resource: XdsResource;
}

export type HeldSet = ReadonlyMap<string, HeldResource>;

/** What a VHDS client holds: virtual hosts by `<route config>/<vhost>` and the route configurations answered. */
export interface VhdsHeld {
  readonly vhosts: HeldSet;
  /** Route configurations whose VHDS subscription was answered: only these are handed to the proxy. */
  readonly answered: ReadonlySet<string>;
  /** system_version_info of the last VirtualHost response applied. */
  readonly version: string;
}

export const NO_VHDS: VhdsHeld = { vhosts: new Map(), answered: new Set(), version: '' };

/** Route configuration names whose virtual hosts come from VHDS (the VirtualHost subscription), sorted. */
export function vhdsNamesOf(routes: HeldSet): string[] {
  return [...routes.values()].filter((r) => isVhdsShell(r.resource)).map((r) => String(r.resource['name'])).sort();
}

/**
 * A VirtualHost response applied: changed virtual hosts decoded, removed ones dropped; a route
 * configuration counts as answered once a response carries one of its virtual hosts or removes its
 * name (the server's answer for one without virtual hosts).
 */
export function applyVhds(held: VhdsHeld, res: DeltaDiscoveryResponse): VhdsHeld {
  const vhosts = new Map(held.vhosts);
  const answered = new Set(held.answered);
  for (const r of res.resources) {
    vhosts.set(r.name, { version: r.version, resource: decodeAnyValue(r.resource.type_url, r.resource.value) });
    const rc = routeConfigOf(r.name);
    if (rc !== undefined) answered.add(rc);
  }
  for (const name of res.removed_resources) {
    if (vhosts.delete(name)) continue;
    if (routeConfigOf(name) === undefined) answered.add(name);
  }
  return { vhosts, answered, version: res.system_version_info };
}

/** Forgets the virtual hosts and answers of route configurations no longer subscribed. */
export function forgetVhds(held: VhdsHeld, unsubscribed: readonly string[]): VhdsHeld {
  if (unsubscribed.length === 0) return held;
  const gone = new Set(unsubscribed);
  const vhosts = new Map([...held.vhosts].filter(([name]) => !gone.has(routeConfigOf(name) ?? '')));
  return { ...held, vhosts, answered: new Set([...held.answered].filter((n) => !gone.has(n))) };
}

/**
 * The route configurations the proxy runs: whole ones as received, VHDS shells with their virtual
 * hosts (materialize), leaving out shells whose VHDS subscription is not answered yet (Envoy keeps
 * an RDS-with-VHDS config uninitialized until VHDS answers: never an empty table in between).
 */
export function materializeRoutes(routes: HeldSet, vhds: VhdsHeld): XdsResource[] {
  const byConfig = new Map<string, XdsResource[]>();
  for (const [name, v] of vhds.vhosts) {
    const rc = routeConfigOf(name) ?? '';
    const list = byConfig.get(rc);
    if (list === undefined) byConfig.set(rc, [v.resource]);
    else list.push(v.resource);
  }
  const out: XdsResource[] = [];
  for (const [name, r] of routes) {
    if (!isVhdsShell(r.resource)) out.push(r.resource);
    else if (vhds.answered.has(name)) out.push(materialize(r.resource, byConfig.get(name) ?? []));
  }
  return out;
}

import { createHash } from 'node:crypto';
import { TYPE_URLS } from '../proto/type-urls';
import { resourceName, resourcesOfType, type XdsResource, type XdsResources } from '../resources';
import { shellOf, VHDS_TYPE_URL, vhostResourceName } from '../vhds/vhds';
import { packedEntry, type PackedEntry, type PackedType, type Selection } from './packed-set';
import { cachedPair, type PairCache } from './pair-cache';

/** A proxy's route configurations as VHDS clients get them: shells (RDS) and virtual hosts (VHDS). */
export interface RouteSplit {
  readonly shells: PackedType;
  readonly vhosts: PackedType;
  /** Route configurations with at least one virtual host. */
  readonly withVhosts: ReadonlySet<string>;
}

interface ConfigSplit {
  readonly shell: PackedEntry;
  readonly vhosts: readonly PackedEntry[];
}

/** By RouteConfiguration object: a configuration handed to many proxies is split and encoded once. */
const byConfig = new WeakMap<XdsResource, ConfigSplit>();
/** By route list: proxies handed the same list share one split (as packType's sets). */
const byList = new WeakMap<readonly XdsResource[], RouteSplit>();
/** Virtual host encodings by object (a virtual host kept across a change is not re-encoded). */
const vhostAnys = new WeakMap<XdsResource, PackedEntry>();

function vhostEntry(routeConfig: string, vhost: XdsResource): PackedEntry {
  const name = vhostResourceName(routeConfig, resourceName('RDS', vhost));
  const cached = vhostAnys.get(vhost);
  if (cached?.name === name) return cached;
  const entry = cached === undefined ? packedEntry(VHDS_TYPE_URL, name, vhost) : { ...cached, name };
  vhostAnys.set(vhost, entry);
  return entry;
}

function splitConfig(rc: XdsResource): ConfigSplit {
  let split = byConfig.get(rc);
  if (split === undefined) {
    const name = resourceName('RDS', rc);
    const list = Array.isArray(rc['virtual_hosts']) ? (rc['virtual_hosts'] as XdsResource[]) : [];
    split = { shell: packedEntry(TYPE_URLS.RDS, name, shellOf(rc)), vhosts: list.map((vh) => vhostEntry(name, vh)) };
    byConfig.set(rc, split);
  }
  return split;
}

/** Splits every RouteConfiguration of `all` (throws, typed, on one that cannot be encoded). Duplicates: first wins. */
export function splitRoutes(all: XdsResources): RouteSplit {
  const list = resourcesOfType(all, 'RDS');
  const cached = byList.get(list);
  if (cached) return cached;
  const shells = new Map<string, PackedEntry>();
  const vhosts = new Map<string, PackedEntry>();
  const withVhosts = new Set<string>();
  for (const rc of list) {
    const split = splitConfig(rc);
    if (shells.has(split.shell.name)) continue;
    shells.set(split.shell.name, split.shell);
    if (split.vhosts.length > 0) withVhosts.add(split.shell.name);
    for (const v of split.vhosts) if (!vhosts.has(v.name)) vhosts.set(v.name, v);
  }
  const out = { shells, vhosts, withVhosts };
  byList.set(list, out);
  return out;
}

const routeVersions: PairCache<Selection, Selection, string> = new WeakMap();

/**
 * The version both RDS (shells) and VHDS responses of a VHDS client carry: one for the route
 * configurations as the proxy runs them (shells + virtual hosts), once per pair of shared selections.
 */
export function routesVersion(shells: Selection, vhosts: Selection): string {
  return cachedPair(routeVersions, shells, vhosts, () => createHash('sha256').update(`${shells.version}\0${vhosts.version}`).digest('hex').slice(0, 16));
}

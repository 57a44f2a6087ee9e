import { createHash } from 'node:crypto';
import { packResource, type PackedAny } from '../proto/codec';
import { TYPE_URLS, type XdsTypeShort } from '../proto/type-urls';
import { routeConfigOf } from '../vhds/vhds';
import { resourceName, resourcesOfType, type XdsResource, type XdsResources } from '../resources';

/** One encoded resource: the contract object, its Any and a hash of the bytes. */
export interface PackedEntry {
  readonly name: string;
  readonly resource: XdsResource;
  readonly any: PackedAny;
  readonly hash: string;
  /** The resource's own version (delta xDS): the hash's first 16 hex digits. */
  readonly version: string;
}

/** All resources of one type for one proxy, by name (generation order kept). */
export type PackedType = ReadonlyMap<string, PackedEntry>;

/**
 * Encodings by resource object. Generators that hand the same (immutable) object to many
 * proxies — the control plane's memoising translator does — get it encoded and hashed once.
 */
const encoded = new WeakMap<XdsResource, PackedEntry>();

/** Encodes and hashes one resource (uncached). */
export function packedEntry(typeUrl: string, name: string, resource: XdsResource): PackedEntry {
  const any = packResource(typeUrl, resource);
  const hash = createHash('sha256').update(any.value).digest('hex');
  return { name, resource, any, hash, version: hash.slice(0, 16) };
}

function packEntry(type: XdsTypeShort, resource: XdsResource): PackedEntry {
  const cached = encoded.get(resource);
  if (cached) return cached;
  const entry = packedEntry(TYPE_URLS[type], resourceName(type, resource), resource);
  encoded.set(resource, entry);
  return entry;
}

/** Packed sets by resource list: proxies handed the same list (a memoising generator) share one. */
const packedLists = new WeakMap<readonly XdsResource[], PackedType>();

/** Encodes every resource of `type`; throws (typed) on the first that cannot be encoded. Duplicates: first wins. */
export function packType(all: XdsResources, type: XdsTypeShort): PackedType {
  const list = resourcesOfType(all, type);
  const cached = packedLists.get(list);
  if (cached) return cached;
  const out = new Map<string, PackedEntry>();
  for (const resource of list) {
    const entry = packEntry(type, resource);
    if (!out.has(entry.name)) out.set(entry.name, entry);
  }
  packedLists.set(list, out);
  return out;
}

export interface Selection {
  readonly entries: readonly PackedEntry[];
  /** The same entries by name. */
  readonly byName: ReadonlyMap<string, PackedEntry>;
  /** The entries' Any values, one array per selection: responses encode its bytes once (discovery.ts). */
  readonly anys: readonly PackedAny[];
  /** Content hash of exactly these resources (the type's version for this proxy). */
  readonly version: string;
}

/** Selections by packed set and subscription, so equal proxies hash their versions once. */
const selections = new WeakMap<PackedType, Map<string, Selection>>();

/** Subscription keys by name set (sets are replaced, never mutated: type-state.ts). */
const subscriptionKeys = new WeakMap<ReadonlySet<string>, string>();

function subscriptionKey(names: ReadonlySet<string>): string {
  let key = subscriptionKeys.get(names);
  if (key === undefined) {
    // Insertion order, unsorted: clients subscribing alike list names alike; another order only costs sharing.
    key = [...names].join('\n');
    subscriptionKeys.set(names, key);
  }
  return key;
}

/**
 * Whether a subscription covers a resource: its name, or (grouped: VHDS, where a client subscribes
 * to a route configuration's name) the group its name starts with.
 */
export function covered(names: ReadonlySet<string>, name: string, grouped: boolean): boolean {
  if (names.has(name)) return true;
  const group = grouped ? routeConfigOf(name) : undefined;
  return group !== undefined && names.has(group);
}

/**
 * The last selection per subscription set (one per stream and type): a push asks again with the same
 * set and, for types the change did not touch, the same packed set — answered without building the
 * key (500 names per EDS stream) or looking it up.
 */
const lastByNames = new WeakMap<ReadonlySet<string>, { readonly packed: PackedType; readonly selection: Selection }>();

/** The resources to send: all of them (wildcard) or those named, plus their content version. Shared by SotW and delta streams. */
export function select(packed: PackedType, wildcard: boolean, names: ReadonlySet<string>, grouped = false): Selection {
  if (wildcard) return selectByKey(packed, '*', wildcard, names, grouped);
  const last = lastByNames.get(names);
  if (last?.packed === packed) return last.selection;
  const selection = selectByKey(packed, subscriptionKey(names), wildcard, names, grouped);
  lastByNames.set(names, { packed, selection });
  return selection;
}

function selectByKey(packed: PackedType, key: string, wildcard: boolean, names: ReadonlySet<string>, grouped: boolean): Selection {
  let byKey = selections.get(packed);
  if (!byKey) {
    byKey = new Map();
    selections.set(packed, byKey);
  }
  const cached = byKey.get(key);
  if (cached) return cached;
  const selection = computeSelection(packed, wildcard, names, grouped);
  if (byKey.size < 64) byKey.set(key, selection);
  return selection;
}

function computeSelection(packed: PackedType, wildcard: boolean, names: ReadonlySet<string>, grouped: boolean): Selection {
  const entries = [...packed.values()].filter((e) => wildcard || covered(names, e.name, grouped));
  // One native call over the joined (name, hash) list: per-entry updates dominated large pushes.
  const digest = createHash('sha256').update(entries.map((e) => `${e.name}\0${e.hash}`).join('\n')).digest('hex');
  const byName = wildcard ? packed : new Map(entries.map((e) => [e.name, e]));
  return { entries, byName, anys: entries.map((e) => e.any), version: digest.slice(0, 16) };
}

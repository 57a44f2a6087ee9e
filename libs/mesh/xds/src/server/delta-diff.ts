import type { DeltaBody } from '../proto/delta-wire';
import type { PackedEntry, Selection } from './packed-set';
import { cachedPair, type PairCache } from './pair-cache';

/**
 * What the server believes a delta client holds of one type. After every response it holds exactly
 * the selection it was brought to (one object shared by every stream with that selection, no
 * per-stream copy); only reconnects, unsubscriptions and NACKs leave an explicit name → version map.
 */
export type Held =
  | { readonly kind: 'selection'; readonly selection: Selection }
  | { readonly kind: 'versions'; readonly versions: ReadonlyMap<string, string> };

export const EMPTY_SELECTION: Selection = Object.freeze({ entries: [], byName: new Map(), anys: [], version: '' });

/** A new stream holds nothing: a selection, so first responses are memoised (and shared) like pushes. */
export const NOTHING_HELD: Held = { kind: 'selection', selection: EMPTY_SELECTION };

/** What changes the client's state: the entries to (re)send and the names to remove, one body per change. */
export interface Change extends DeltaBody {
  readonly entries: readonly PackedEntry[];
}

export const NO_CHANGE: Change = Object.freeze({ entries: Object.freeze([]) as readonly PackedEntry[], removed: Object.freeze([]) as readonly string[] });

export function isEmpty(change: Change): boolean {
  return change.entries.length === 0 && change.removed.length === 0;
}

export function heldVersion(held: Held, name: string): string | undefined {
  return held.kind === 'selection' ? held.selection.byName.get(name)?.version : held.versions.get(name);
}

export function heldVersions(held: Held): Map<string, string> {
  if (held.kind === 'versions') return new Map(held.versions);
  return new Map(held.selection.entries.map((e) => [e.name, e.version]));
}

function compute(has: (name: string) => string | undefined, names: Iterable<string>, next: Selection): Change {
  const entries = next.entries.filter((e) => has(e.name) !== e.version);
  const removed: string[] = [];
  for (const name of names) if (!next.byName.has(name)) removed.push(name);
  return entries.length === 0 && removed.length === 0 ? NO_CHANGE : { entries, removed };
}

/** Changes by (held selection → next selection): a push round's equal streams share one body and its bytes. */
const transitions: PairCache<Selection, Selection, Change> = new WeakMap();

/** The resources `next` has that the client lacks or holds at another version, and what it holds that `next` lacks. */
export function diff(held: Held, next: Selection): Change {
  if (held.kind === 'versions') return compute((n) => held.versions.get(n), held.versions.keys(), next);
  const from = held.selection;
  if (from === next) return NO_CHANGE;
  return cachedPair(transitions, from, next, () => compute((n) => from.byName.get(n)?.version, from.byName.keys(), next));
}

/** The names a change sends and removes, once per (shared) change. */
const namesOfChange = new WeakMap<Change, { readonly sent: ReadonlySet<string>; readonly removed: ReadonlySet<string> }>();

function covers(change: Change, requested: ReadonlySet<string>, next: Selection): boolean {
  let names = namesOfChange.get(change);
  if (names === undefined) {
    names = { sent: new Set(change.entries.map((e) => e.name)), removed: new Set(change.removed) };
    namesOfChange.set(change, names);
  }
  for (const name of requested) if (!(next.byName.has(name) ? names.sent : names.removed).has(name)) return false;
  return true;
}

/**
 * `change` plus every name the client asked for just now: present ones sent, absent ones removed ("does
 * not exist"). `selectedFrom`: the subscription `next` was selected from (not wildcard).
 */
export function withRequested(change: Change, requested: ReadonlySet<string>, next: Selection, selectedFrom?: ReadonlySet<string>): Change {
  // A first subscription: `next` holds every name asked for (as many entries as names) and the change
  // sends all of them — no per-name check. Otherwise usually the change answers every name all the same.
  const sendsAll = requested === selectedFrom && next.entries.length === requested.size && change.entries.length === next.entries.length;
  if (requested.size === 0 || sendsAll || covers(change, requested, next)) return change;
  const entries = [...change.entries];
  const removed = new Set(change.removed);
  const sent = new Set(entries.map((e) => e.name));
  for (const name of requested) {
    const entry = next.byName.get(name);
    if (entry !== undefined && !sent.has(name)) entries.push(entry);
    else if (entry === undefined) removed.add(name);
  }
  return { entries, removed: [...removed] };
}

/** Names a response touched, with the version it set (undefined = removed). */
export function touched(change: Change): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>(change.entries.map((e) => [e.name, e.version]));
  for (const name of change.removed) out.set(name, undefined);
  return out;
}

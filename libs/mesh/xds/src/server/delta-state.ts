import type { DeltaDiscoveryRequest } from '../proto/delta-types';
import { isFullStateType, type XdsTypeShort } from '../proto/type-urls';
import { heldVersion, heldVersions, NOTHING_HELD, touched, type Change, type Held } from './delta-diff';
import { allKnown, nameSet } from './name-sets';
import { covered, type PackedType, type Selection } from './packed-set';
import type { NackRecord, TypeProgress } from './type-state';

/** A response not yet ACKed or NACKed: what it changed, from which state (to undo on NACK). */
export interface Pending {
  readonly version: string;
  readonly prev: Held;
  readonly change: Change;
}

/** A delta stream's subscription and progress per type (mesh-internals §1.8). */
export interface DeltaTypeState extends TypeProgress {
  wildcard: boolean;
  /** Wildcard from a legacy empty first request (LDS/CDS): subscribing to a name ends it, `*` keeps it. */
  legacyWildcard: boolean;
  /** Explicit subscriptions; replaced, never mutated (selections are cached per set). */
  names: ReadonlySet<string>;
  held: Held;
  /** By nonce, oldest first; at most `maxPending`. */
  pending: Map<string, Pending>;
  /** VHDS: a subscribed name also covers `<name>/…` (packed-set.ts `covered`). */
  readonly grouped: boolean;
}

/** Per-stream bounds: what a client that floods subscriptions or never ACKs can make the server keep. */
export interface DeltaLimits {
  /** Explicit subscriptions to names the proxy has no resource for, per type. */
  readonly maxUnknownNames: number;
  /** Responses awaiting ACK/NACK per type (older ones are forgotten; their ACK then counts as expired). */
  readonly maxPending: number;
}

export const DEFAULT_DELTA_LIMITS: DeltaLimits = { maxUnknownNames: 1024, maxPending: 16 };

export function newDeltaTypeState(grouped = false): DeltaTypeState {
  return { requested: false, wildcard: false, legacyWildcard: false, names: new Set(), held: NOTHING_HELD, pending: new Map(), grouped };
}

export interface SubscriptionUpdate {
  /** Whether the request calls for a response (first request with something subscribed, additions). */
  readonly respond: boolean;
  /** The type's first request on this stream: answered even when nothing differs (the client learns the version). */
  readonly initial: boolean;
  /** Names to answer explicitly: present ones sent, absent ones as removed. */
  readonly requested: ReadonlySet<string>;
  /** Subscriptions refused by `maxUnknownNames` (answered as removed, not remembered). */
  readonly dropped: number;
}

function unknownCount(names: ReadonlySet<string>, packed: PackedType): number {
  let n = 0;
  for (const name of names) if (!packed.has(name)) n++;
  return n;
}

const NO_UPDATE: SubscriptionUpdate = Object.freeze({ respond: false, initial: false, requested: new Set<string>(), dropped: 0 });

/** What the client keeps after unsubscribing: everything under wildcard, else only what it still names. */
function forget(held: Held, wildcard: boolean, names: ReadonlySet<string>, grouped: boolean): Held {
  if (wildcard) return held;
  const versions = heldVersions(held);
  for (const name of versions.keys()) if (!covered(names, name, grouped)) versions.delete(name);
  return { kind: 'versions', versions };
}

interface NameChanges {
  readonly names: Set<string>;
  readonly requested: Set<string>;
  dropped: number;
  addedWildcard: boolean;
}

/** resource_names_subscribe: `*` turns wildcard on; names are remembered, unknown ones up to the limit. */
function subscribeNames(state: DeltaTypeState, subscribe: readonly string[], packed: PackedType, limits: DeltaLimits, out: NameChanges): void {
  let unknown = -1;
  for (const name of subscribe) {
    if (name === '*') {
      out.addedWildcard ||= !state.wildcard;
      state.wildcard = true;
      state.legacyWildcard = false;
      continue;
    }
    if (state.legacyWildcard) state.wildcard = state.legacyWildcard = false;
    out.requested.add(name);
    if (out.names.has(name) || packed.has(name)) {
      out.names.add(name);
      continue;
    }
    if (unknown < 0) unknown = unknownCount(out.names, packed);
    if (unknown >= limits.maxUnknownNames) {
      out.dropped++;
      continue;
    }
    out.names.add(name);
    unknown++;
  }
}

/** resource_names_unsubscribe: `*` ends wildcard; returns whether anything was unsubscribed. */
function unsubscribeNames(state: DeltaTypeState, unsubscribe: readonly string[], out: NameChanges): boolean {
  for (const name of unsubscribe) {
    if (name === '*') state.wildcard = state.legacyWildcard = false;
    out.names.delete(name);
    out.requested.delete(name);
  }
  return unsubscribe.length > 0;
}

/**
 * Applies resource_names_subscribe/unsubscribe (honoured whatever the nonce) and, on the first request
 * of the type, the legacy wildcard (LDS/CDS) and initial_resource_versions.
 */
export function applySubscriptions(state: DeltaTypeState, type: XdsTypeShort, req: DeltaDiscoveryRequest, packed: PackedType, limits: DeltaLimits): SubscriptionUpdate {
  const first = !state.requested;
  const subscribe = req.resource_names_subscribe ?? [];
  // A plain ACK/NACK (most requests): nothing to copy or compare.
  if (!first && subscribe.length === 0 && (req.resource_names_unsubscribe ?? []).length === 0) return NO_UPDATE;
  if (first && isPlainFirstSubscription(req, subscribe, packed)) {
    state.requested = true;
    state.names = nameSet(subscribe);
    // The subscription itself is what to answer (withRequested sees it is `next`'s own names).
    return { respond: true, initial: true, requested: state.names, dropped: 0 };
  }
  state.requested = true;
  const out: NameChanges = { names: new Set(state.names), requested: new Set(), dropped: 0, addedWildcard: false };
  if (first && subscribe.length === 0 && isFullStateType(type)) state.wildcard = state.legacyWildcard = out.addedWildcard = true;
  subscribeNames(state, subscribe, packed, limits, out);
  const forgot = unsubscribeNames(state, req.resource_names_unsubscribe ?? [], out);
  if (out.names.size !== state.names.size || [...out.names].some((n) => !state.names.has(n))) state.names = out.names;
  if (forgot) state.held = forget(state.held, state.wildcard, state.names, state.grouped);
  if (first) applyInitialVersions(state, req.initial_resource_versions, packed, out.requested);
  const subscribed = state.wildcard || state.names.size > 0;
  return { respond: subscribed && (first || out.addedWildcard || out.requested.size > 0), initial: first, requested: out.requested, dropped: out.dropped };
}

/**
 * A first request naming only resources the proxy has (no `*`, no unsubscribe, no
 * initial_resource_versions): as the general path would leave it, built in one native step, and
 * shared by streams that sent the same request (name-sets.ts).
 */
function isPlainFirstSubscription(req: DeltaDiscoveryRequest, subscribe: readonly string[], packed: PackedType): boolean {
  if (subscribe.length === 0 || (req.resource_names_unsubscribe ?? []).length > 0) return false;
  if (Object.keys(req.initial_resource_versions ?? {}).length > 0) return false;
  return allKnown(subscribe, packed);
}

/** Reconnect: the client already holds these; names it holds at the current version need no resend. */
function applyInitialVersions(state: DeltaTypeState, initial: Readonly<Record<string, string>> | undefined, packed: PackedType, requested: Set<string>): void {
  const entries = Object.entries(initial ?? {});
  if (entries.length === 0) return;
  state.held = { kind: 'versions', versions: new Map(entries) };
  for (const [name, version] of entries) if (packed.get(name)?.version === version) requested.delete(name);
}

/** Records a response: the client will hold `next` once it applies it. Returns how many pending responses were forgotten. */
export function recordSent(state: DeltaTypeState, nonce: string, next: Selection, change: Change, limits: DeltaLimits, version = next.version): number {
  state.pending.set(nonce, { version, prev: state.held, change });
  state.held = { kind: 'selection', selection: next };
  state.sentNonce = nonce;
  state.sentVersion = version;
  let dropped = 0;
  for (const oldest of state.pending.keys()) {
    if (state.pending.size <= limits.maxPending) break;
    state.pending.delete(oldest);
    dropped++;
  }
  return dropped;
}

export type Settlement = 'none' | 'ack' | 'nack' | 'expired';

/**
 * ACK or NACK of one response by its nonce. A NACK undoes only that response's resources (those the
 * client still holds at the version it sent): every other response stays applied.
 */
export function settle(state: DeltaTypeState, nonce: string, error: string | undefined, now: () => Date = () => new Date()): Settlement {
  if (nonce === '') return 'none';
  const pending = state.pending.get(nonce);
  if (pending === undefined) return 'expired';
  state.pending.delete(nonce);
  if (error === undefined) {
    state.ackedNonce = nonce;
    state.ackedVersion = pending.version;
    return 'ack';
  }
  const versions = heldVersions(state.held);
  for (const [name, version] of touched(pending.change)) {
    if (versions.get(name) !== version) continue;
    const before = heldVersion(pending.prev, name);
    if (before === undefined) versions.delete(name);
    else versions.set(name, before);
  }
  state.held = { kind: 'versions', versions };
  state.lastNack = { version: pending.version, nonce, message: error, at: now().toISOString() } satisfies NackRecord;
  return 'nack';
}

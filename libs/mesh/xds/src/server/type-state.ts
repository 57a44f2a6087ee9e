import { isFullStateType, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { nameSet } from './name-sets';

export interface NackRecord {
  readonly version: string;
  readonly nonce: string;
  readonly message: string;
  /** ISO timestamp. */
  readonly at: string;
}

export type SyncState = 'SYNCED' | 'STALE' | 'NOT SENT';

/** Per (stream, type), both protocols: what was sent and acknowledged (mesh-internals §1.11.3). */
export interface TypeProgress {
  requested: boolean;
  /** The type's version for this proxy (SotW version_info, delta system_version_info). */
  sentVersion?: string;
  sentNonce?: string;
  ackedVersion?: string;
  ackedNonce?: string;
  lastNack?: NackRecord;
}

/** A SotW stream's subscription and progress per type. */
export interface TypeState extends TypeProgress {
  wildcard: boolean;
  /** An explicit name was sent once: from then on an empty list means "unsubscribe". */
  explicitEver: boolean;
  /** Replaced, never mutated (it may be shared: name-sets.ts). */
  names: ReadonlySet<string>;
  sent?: readonly XdsResource[];
}

export function newTypeState(): TypeState {
  return { requested: false, wildcard: false, explicitEver: false, names: new Set() };
}

export function subscribed(state: TypeState): boolean {
  return state.requested && (state.wildcard || state.names.size > 0);
}

/**
 * Applies a request's resource_names (§1.5): "*" or a legacy empty first request means wildcard for
 * LDS/CDS; otherwise the explicit names. Returns whether anything was added.
 */
export function updateSubscription(state: TypeState, type: XdsTypeShort, requested: readonly string[]): boolean {
  const names = nameSet(requested);
  const wasWildcard = state.wildcard;
  const firstRequest = !state.requested;
  let wildcard = false;
  if (isFullStateType(type)) {
    if (names.size > 0) state.explicitEver = true;
    wildcard = requested.includes('*') || (names.size === 0 && (firstRequest || (wasWildcard && !state.explicitEver)));
  }
  const added = (wildcard && !wasWildcard) || (names !== state.names && [...names].some((n) => !state.names.has(n)));
  state.requested = true;
  state.wildcard = wildcard;
  // Kept by identity when unchanged (every ACK repeats the names): selections are cached per set.
  if (added || names.size !== state.names.size) state.names = names;
  return added;
}

export function syncState(state: TypeProgress): SyncState {
  if (state.sentNonce === undefined) return 'NOT SENT';
  return state.ackedNonce === state.sentNonce ? 'SYNCED' : 'STALE';
}

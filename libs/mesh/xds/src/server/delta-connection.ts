import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { DeltaDiscoveryRequest } from '../proto/delta-types';
import type { DeltaResponseFields } from '../proto/delta-wire';
import { perType, TYPE_URLS, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { diff, isEmpty, withRequested, type Change } from './delta-diff';
import { applySubscriptions, newDeltaTypeState, recordSent, settle, type DeltaLimits, type DeltaTypeState } from './delta-state';
import { select } from './packed-set';
import { ProxyConnection, type ConnectionDeps } from './proxy-connection';
import type { TypeProgress } from './type-state';

export type DeltaAdsCall = grpc.ServerDuplexStream<DeltaDiscoveryRequest, DeltaResponseFields>;

/**
 * A DeltaAggregatedResources stream (mesh-internals §1.8): per-resource versions, only changed and
 * removed resources sent, subscriptions honoured whatever the nonce, ACK/NACK per nonce. Selections
 * and encodings are SotW's (packed-set.ts); only what the client holds differs (delta-diff.ts).
 */
export class DeltaConnection extends ProxyConnection<DeltaDiscoveryRequest, DeltaResponseFields> {
  readonly protocol = 'delta';
  private readonly types: Record<XdsTypeShort, DeltaTypeState> = perType(newDeltaTypeState);

  constructor(call: DeltaAdsCall, deps: ConnectionDeps, private readonly limits: DeltaLimits) {
    super(call, deps);
  }

  protected progress(type: XdsTypeShort): TypeProgress {
    return this.types[type];
  }

  protected held(type: XdsTypeShort): readonly XdsResource[] {
    const held = this.types[type].held;
    if (held.kind === 'selection') return held.selection.entries.map((e) => e.resource);
    const packed = this.packed[type];
    const out: XdsResource[] = [];
    for (const [name, version] of held.versions) {
      const entry = packed?.get(name);
      if (entry?.version === version) out.push(entry.resource);
    }
    return out;
  }

  protected handle(type: XdsTypeShort, req: DeltaDiscoveryRequest): void {
    const state = this.types[type];
    const nonce = req.response_nonce ?? '';
    const outcome = settle(state, nonce, req.error_detail === undefined ? undefined : (req.error_detail.message ?? ''));
    if (outcome === 'expired') this.deps.metrics.expiredNonce(type);
    if (outcome === 'nack' && state.lastNack !== undefined) this.recordNack(type, state.lastNack);
    const packed = this.packed[type];
    if (packed === undefined) return;
    const update = applySubscriptions(state, type, req, packed, this.limits);
    if (update.dropped > 0) {
      this.deps.metrics.subscriptionsDropped(type, update.dropped);
      this.deps.logger.warn({ proxy: this.proxy?.id, type, dropped: update.dropped, limit: this.limits.maxUnknownNames }, 'xDS subscriptions to unknown names beyond the limit answered as removed');
    }
    if (update.respond) this.respond(type, update.requested, update.initial);
  }

  private respond(type: XdsTypeShort, requested: ReadonlySet<string>, always: boolean, changeAt?: number, round?: string): boolean {
    const packed = this.packed[type];
    if (packed === undefined || this.closed) return false;
    const state = this.types[type];
    const next = select(packed, state.wildcard, state.names);
    const change = withRequested(diff(state.held, next), requested, next);
    // Nothing to change but a new version (the client kept older resources after a NACK, and the
    // config went back to them): an empty response, so its ACK shows the proxy in sync at that version.
    const nackedLast = state.lastNack !== undefined && state.lastNack.nonce === state.sentNonce;
    if (isEmpty(change) && requested.size === 0 && !always && !(nackedLast && next.version !== state.sentVersion)) return false;
    // As SotW: in a push round the nonce is the round's, so equal changes share one encoded response.
    const nonce = round === undefined ? randomUUID() : `${round}-${type}`;
    this.write(type, next.version, nonce, change);
    const dropped = recordSent(state, nonce, next, change, this.limits);
    if (dropped > 0) this.deps.metrics.unackedDropped(type, dropped);
    this.sent(type, changeAt);
    return true;
  }

  private write(type: XdsTypeShort, version: string, nonce: string, body: Change): void {
    this.call.write({ system_version_info: version, type_url: TYPE_URLS[type], nonce, body });
  }

  protected pushType(type: XdsTypeShort, changeAt: number, round: string): boolean {
    return this.respond(type, NO_NAMES, false, changeAt, round);
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();

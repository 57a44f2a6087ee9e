import type * as grpc from '@grpc/grpc-js';
import type { DiscoveryRequest, DiscoveryResponse } from '../proto/discovery';
import { perType, TYPE_URLS, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { select } from './packed-set';
import { sharedNonce } from './shared-nonce';
import { ProxyConnection, type ConnectionDeps } from './proxy-connection';
import { newTypeState, subscribed, updateSubscription, type TypeProgress, type TypeState } from './type-state';

export type AdsCall = grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>;

/** A StreamAggregatedResources stream: the §1.10 response rules; every response is the type's full selection. */
export class SotwConnection extends ProxyConnection<DiscoveryRequest, DiscoveryResponse> {
  readonly protocol = 'sotw';
  private readonly types: Record<XdsTypeShort, TypeState> = perType(newTypeState);

  constructor(call: AdsCall, deps: ConnectionDeps) {
    super(call, deps);
  }

  protected progress(type: XdsTypeShort): TypeProgress {
    return this.types[type];
  }

  protected held(type: XdsTypeShort): readonly XdsResource[] {
    return this.types[type].sent ?? [];
  }

  protected handle(type: XdsTypeShort, req: DiscoveryRequest): void {
    const state = this.types[type];
    const nonce = req.response_nonce ?? '';
    const isInitial = nonce === '' || state.sentNonce === undefined;
    if (!isInitial && nonce !== state.sentNonce) {
      this.deps.metrics.expiredNonce(type);
      this.deps.logger.debug({ proxy: this.proxy?.id, type, nonce }, 'xDS request with a stale nonce ignored');
      return;
    }
    if (req.error_detail !== undefined && !isInitial) {
      state.lastNack = { version: state.sentVersion ?? '', nonce, message: req.error_detail.message ?? '', at: new Date().toISOString() };
      this.recordNack(type, state.lastNack);
      return;
    }
    if (!isInitial) {
      state.ackedVersion = req.version_info ?? '';
      state.ackedNonce = nonce;
    }
    const added = updateSubscription(state, type, req.resource_names ?? []);
    if ((isInitial || added) && subscribed(state)) this.respond(type);
  }

  /** Sends the current selection of `type`; returns whether something was written. */
  private respond(type: XdsTypeShort, changeAt?: number, round?: string): boolean {
    const packed = this.packed[type];
    if (packed === undefined || this.closed) return false;
    const state = this.types[type];
    const selection = select(packed, state.wildcard, state.names);
    // In a push round the nonce is the round's (unique per stream and type all the same), otherwise the
    // selection's (shared-nonce.ts), so proxies with equal selections share one encoded response.
    const usedHere = (n: string): boolean => n === state.sentNonce || n === state.ackedNonce;
    const nonce = round === undefined ? sharedNonce(selection, type, selection.version, usedHere) : `${round}-${type}`;
    this.call.write({ version_info: selection.version, resources: selection.anys, type_url: TYPE_URLS[type], nonce });
    state.sentVersion = selection.version;
    state.sentNonce = nonce;
    state.sent = selection.entries.map((e) => e.resource);
    this.sent(type, changeAt);
    return true;
  }

  protected pushType(type: XdsTypeShort, changeAt: number, round: string): boolean {
    const state = this.types[type];
    const packed = this.packed[type];
    if (!subscribed(state) || packed === undefined) return false;
    if (select(packed, state.wildcard, state.names).version === state.sentVersion) return false;
    return this.respond(type, changeAt, round);
  }
}

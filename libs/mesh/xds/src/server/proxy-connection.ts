import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ProxyInfo } from '@trellis/mesh-api';
import { TrellisError, errorMessage, isTrellisError, type Logger } from '@trellis/shared';
import type { DiscoveryRequest, DiscoveryResponse } from '../proto/discovery';
import { PUSH_ORDER, TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import { emptyResources, withType, type XdsResources } from '../resources';
import type { XdsServerMetrics } from './metrics';
import { proxyInfoFromNode } from './node-info';
import { packType, select, type PackedType } from './packed-set';
import { newTypeState, subscribed, syncState, updateSubscription, type NackRecord, type SyncState, type TypeState } from './type-state';

export type AdsCall = grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>;

export interface ConnectionDeps {
  readonly generate: (proxy: ProxyInfo) => XdsResources;
  readonly metrics: XdsServerMetrics;
  readonly logger: Logger;
  readonly onReady: (conn: ProxyConnection) => void;
  readonly onClose: (conn: ProxyConnection) => void;
}

export interface TypeSyncStatus {
  readonly sentVersion?: string;
  readonly sentNonce?: string;
  readonly ackedVersion?: string;
  readonly lastNack?: NackRecord;
  readonly status: SyncState;
}

export interface ProxySyncStatus {
  readonly id: string;
  readonly connectionId: string;
  readonly proxy: ProxyInfo;
  readonly connectedAt: string;
  /** Per type; SDS only once the proxy has asked for secrets (gateways with credentials). */
  readonly types: Readonly<Record<Exclude<XdsTypeShort, 'SDS'>, TypeSyncStatus>> & { readonly SDS?: TypeSyncStatus };
}

/** One ADS stream: the §1.10 response rules, per-type state, and pushes. */
export class ProxyConnection {
  readonly connectionId = randomUUID();
  readonly connectedAt = new Date();
  proxy: ProxyInfo | undefined;
  private closed = false;
  private readonly packed: Partial<Record<XdsTypeShort, PackedType>> = {};
  private readonly types: Record<XdsTypeShort, TypeState> = {
    CDS: newTypeState(),
    EDS: newTypeState(),
    LDS: newTypeState(),
    RDS: newTypeState(),
    SDS: newTypeState(),
  };

  constructor(
    private readonly call: AdsCall,
    private readonly deps: ConnectionDeps,
  ) {
    call.on('data', (req: DiscoveryRequest) => this.onRequest(req));
    call.on('end', () => this.close());
    call.on('error', () => this.finish());
    call.on('cancelled', () => this.finish());
    call.on('close', () => this.finish());
  }

  private onRequest(req: DiscoveryRequest): void {
    if (this.closed) return;
    try {
      if (this.proxy === undefined) this.initialise(req);
      this.handle(req);
    } catch (err) {
      const invalid = isTrellisError(err) && err.code !== 'XDS_GENERATE_FAILED';
      this.fail(invalid ? grpc.status.INVALID_ARGUMENT : grpc.status.UNAVAILABLE, err);
    }
  }

  private initialise(req: DiscoveryRequest): void {
    const proxy = proxyInfoFromNode(req.node);
    this.proxy = proxy;
    this.regenerate(true);
    this.deps.logger.info({ proxy: proxy.id, connectionId: this.connectionId }, 'xDS proxy connected');
    this.deps.onReady(this);
  }

  private handle(req: DiscoveryRequest): void {
    if (req.type_url === undefined || req.type_url === '') {
      throw new TrellisError('XDS_BAD_REQUEST', 'DiscoveryRequest without type_url');
    }
    const type = typeShortOf(req.type_url);
    if (type === undefined) {
      this.deps.logger.warn({ proxy: this.proxy?.id, typeUrl: req.type_url }, 'xDS request for an unsupported type ignored');
      return;
    }
    const state = this.types[type];
    const nonce = req.response_nonce ?? '';
    const isInitial = nonce === '' || state.sentNonce === undefined;
    if (!isInitial && nonce !== state.sentNonce) {
      this.deps.metrics.expiredNonce(type);
      this.deps.logger.debug({ proxy: this.proxy?.id, type, nonce }, 'xDS request with a stale nonce ignored');
      return;
    }
    if (req.error_detail !== undefined && !isInitial) {
      this.recordNack(type, state, nonce, req.error_detail.message ?? '');
      return;
    }
    if (!isInitial) {
      state.ackedVersion = req.version_info ?? '';
      state.ackedNonce = nonce;
    }
    const added = updateSubscription(state, type, req.resource_names ?? []);
    if ((isInitial || added) && subscribed(state)) this.respond(type);
  }

  private recordNack(type: XdsTypeShort, state: TypeState, nonce: string, message: string): void {
    state.lastNack = { version: state.sentVersion ?? '', nonce, message, at: new Date().toISOString() };
    this.deps.metrics.rejected(type);
    this.deps.logger.warn({ proxy: this.proxy?.id, type, version: state.sentVersion, message }, 'xDS response rejected by proxy');
  }

  /** Sends the current selection of `type`; returns whether something was written. */
  private respond(type: XdsTypeShort, changeAt?: number, round?: string): boolean {
    const packed = this.packed[type];
    if (packed === undefined || this.closed) return false;
    const state = this.types[type];
    const selection = select(packed, state.wildcard, state.names);
    // In a push round the nonce is the round's (unique per stream and type all the same), so proxies
    // with equal selections share one encoded response; otherwise a fresh one.
    const nonce = round === undefined ? randomUUID() : `${round}-${type}`;
    this.call.write({
      version_info: selection.version,
      resources: selection.anys,
      type_url: TYPE_URLS[type],
      nonce,
    });
    state.sentVersion = selection.version;
    state.sentNonce = nonce;
    state.sent = selection.entries.map((e) => e.resource);
    this.deps.metrics.pushed(type);
    if (changeAt !== undefined) this.deps.metrics.pushTime(type, (Date.now() - changeAt) / 1000);
    return true;
  }

  /** Regenerates and sends, in CDS → EDS → LDS → RDS order, only the types whose content changed. */
  push(changeAt: number, round: string = randomUUID()): XdsTypeShort[] {
    if (this.proxy === undefined || this.closed) return [];
    try {
      this.regenerate(false);
    } catch (err) {
      this.deps.logger.error({ proxy: this.proxy.id, err: errorMessage(err) }, 'xDS generation failed; keeping the previous config');
      return [];
    }
    const sent: XdsTypeShort[] = [];
    for (const type of PUSH_ORDER) {
      const state = this.types[type];
      const packed = this.packed[type];
      if (!subscribed(state) || packed === undefined) continue;
      if (select(packed, state.wildcard, state.names).version === state.sentVersion) continue;
      if (this.respond(type, changeAt, round)) sent.push(type);
    }
    return sent;
  }

  private regenerate(first: boolean): void {
    const proxy = this.proxy as ProxyInfo;
    let all: XdsResources;
    try {
      all = this.deps.generate(proxy);
    } catch (err) {
      throw new TrellisError('XDS_GENERATE_FAILED', 'Generating xDS resources failed', { proxy: proxy.id, reason: errorMessage(err), first }, { cause: err });
    }
    for (const type of PUSH_ORDER) {
      try {
        this.packed[type] = packType(all, type);
      } catch (err) {
        const context = isTrellisError(err) ? err.context : {};
        this.deps.logger.error({ proxy: proxy.id, type, err: errorMessage(err), ...context }, 'xDS resources cannot be encoded; keeping the previous ones');
      }
    }
  }

  status(): ProxySyncStatus | undefined {
    if (this.proxy === undefined) return undefined;
    const types = {} as Record<XdsTypeShort, TypeSyncStatus>;
    for (const type of PUSH_ORDER) {
      const s = this.types[type];
      if (type === 'SDS' && !s.requested) continue;
      types[type] = { sentVersion: s.sentVersion, sentNonce: s.sentNonce, ackedVersion: s.ackedVersion, lastNack: s.lastNack, status: syncState(s) };
    }
    return { id: this.proxy.id, connectionId: this.connectionId, proxy: this.proxy, connectedAt: this.connectedAt.toISOString(), types };
  }

  /** What was last sent, per type. */
  dump(): XdsResources {
    let out = emptyResources();
    for (const type of PUSH_ORDER) {
      const sent = this.types[type].sent ?? [];
      if (type !== 'SDS' || sent.length > 0) out = withType(out, type, sent);
    }
    return out;
  }

  private fail(code: grpc.status, err: unknown): void {
    this.deps.logger.warn({ proxy: this.proxy?.id, code, err: errorMessage(err) }, 'xDS stream failed');
    if (!this.closed) this.call.emit('error', { code, details: errorMessage(err) });
    this.finish();
  }

  /** Ends the stream (server shutdown or client half-close). */
  close(): void {
    if (!this.closed) this.call.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.deps.onClose(this);
  }
}

import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ProxyInfo } from '@trellis/mesh-api';
import { TrellisError, errorMessage, isTrellisError, type Logger } from '@trellis/shared';
import type { XdsNode } from '../proto/discovery-types';
import { PUSH_ORDER, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import { emptyResources, withType, type XdsResource, type XdsResources } from '../resources';
import type { XdsMetricType, XdsServerMetrics } from './metrics';
import { proxyInfoFromNode } from './node-info';
import { packType, type PackedType } from './packed-set';
import { syncState, type NackRecord, type SyncState, type TypeProgress } from './type-state';

/** The part of a grpc-js server stream a connection uses (both ADS methods). */
export interface XdsCall<Req, Res> {
  on(event: 'data', listener: (req: Req) => void): unknown;
  on(event: 'end' | 'error' | 'cancelled' | 'close' | 'drain', listener: () => void): unknown;
  write(res: Res): unknown;
  /** Node's Writable: true once the stream's buffer is full (the client is not reading). */
  readonly writableNeedDrain: boolean;
  end(): void;
  emit(event: 'error', err: { code: grpc.status; details: string }): unknown;
}

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
  /** `sotw` (StreamAggregatedResources) or `delta` (DeltaAggregatedResources). */
  readonly protocol: 'sotw' | 'delta';
  /**
   * Per type; SDS only once the proxy has asked for secrets (gateways with credentials); VHDS only for
   * delta clients that subscribed virtual hosts (their RDS status is then the worse of shells and VHDS).
   */
  readonly types: Readonly<Record<Exclude<XdsTypeShort, 'SDS'>, TypeSyncStatus>> & { readonly SDS?: TypeSyncStatus; readonly VHDS?: TypeSyncStatus };
}

export function typeStatus(s: TypeProgress): TypeSyncStatus {
  return { sentVersion: s.sentVersion, sentNonce: s.sentNonce, ackedVersion: s.ackedVersion, lastNack: s.lastNack, status: syncState(s) };
}

/** One ADS stream, either protocol: node, generation, pushes in CDS → EDS → LDS → RDS order, status. */
export abstract class ProxyConnection<Req extends { readonly node?: XdsNode; readonly type_url?: string } = { readonly node?: XdsNode; readonly type_url?: string }, Res = unknown> {
  readonly connectionId = randomUUID();
  readonly connectedAt = new Date();
  abstract readonly protocol: 'sotw' | 'delta';
  proxy: ProxyInfo | undefined;
  protected closed = false;
  /** A push skipped while the client was not reading; sent (the latest state, once) on 'drain'. */
  private deferred = false;
  protected readonly packed: Partial<Record<XdsTypeShort, PackedType>> = {};

  constructor(
    protected readonly call: XdsCall<Req, Res>,
    protected readonly deps: ConnectionDeps,
  ) {
    call.on('data', (req: Req) => this.onRequest(req));
    call.on('end', () => this.close());
    call.on('error', () => this.finish());
    call.on('cancelled', () => this.finish());
    call.on('close', () => this.finish());
    call.on('drain', () => this.resume());
  }

  /** One request of a known type. */
  protected abstract handle(type: XdsTypeShort, req: Req): void;
  protected abstract progress(type: XdsTypeShort): TypeProgress;
  /** Sends what changed of `type` after a regeneration; returns whether something was written. */
  protected abstract pushType(type: XdsTypeShort, changeAt: number, round: string): boolean;
  /** The resources the proxy holds (as far as the server knows) of `type`. */
  protected abstract held(type: XdsTypeShort): readonly XdsResource[];

  /** A request of a type outside PUSH_ORDER (VHDS); returns whether it was handled. */
  protected handleOther(_typeUrl: string, _req: Req): boolean {
    return false;
  }

  /** The node of the stream's first request, before the first generation (nothing to note by default). */
  protected onNode(_node: XdsNode | undefined): void {
    return undefined;
  }

  /** Encodes one type of a generation (delta VHDS clients get route configurations split). */
  protected packOf(all: XdsResources, type: XdsTypeShort): PackedType {
    return packType(all, type);
  }

  private onRequest(req: Req): void {
    if (this.closed) return;
    try {
      if (this.proxy === undefined) this.initialise(req);
      if (req.type_url === undefined || req.type_url === '') throw new TrellisError('XDS_BAD_REQUEST', 'DiscoveryRequest without type_url');
      const type = typeShortOf(req.type_url);
      if (type === undefined && this.handleOther(req.type_url, req)) return;
      if (type === undefined) {
        this.deps.logger.warn({ proxy: this.proxy?.id, typeUrl: req.type_url }, 'xDS request for an unsupported type ignored');
        return;
      }
      this.handle(type, req);
    } catch (err) {
      const invalid = isTrellisError(err) && err.code !== 'XDS_GENERATE_FAILED';
      this.fail(invalid ? grpc.status.INVALID_ARGUMENT : grpc.status.UNAVAILABLE, err);
    }
  }

  private initialise(req: Req): void {
    const proxy = proxyInfoFromNode(req.node);
    this.proxy = proxy;
    this.onNode(req.node);
    this.regenerate(true);
    this.deps.logger.info({ proxy: proxy.id, connectionId: this.connectionId, protocol: this.protocol }, 'xDS proxy connected');
    this.deps.onReady(this);
  }

  protected recordNack(type: XdsMetricType, nack: NackRecord): void {
    this.deps.metrics.rejected(type);
    this.deps.logger.warn({ proxy: this.proxy?.id, type, version: nack.version, message: nack.message }, 'xDS response rejected by proxy');
  }

  /** Regenerates and sends, in CDS → EDS → LDS → RDS order, only the types whose content changed. */
  push(changeAt: number, round: string = randomUUID()): XdsTypeShort[] {
    if (this.proxy === undefined || this.closed) return [];
    if (this.call.writableNeedDrain) {
      // A client that does not read gets no more queued: at most one stream buffer, then the latest state.
      if (!this.deferred) this.deps.metrics.pushDeferred();
      this.deferred = true;
      return [];
    }
    try {
      this.regenerate(false);
    } catch (err) {
      this.deps.logger.error({ proxy: this.proxy.id, err: errorMessage(err) }, 'xDS generation failed; keeping the previous config');
      return [];
    }
    return PUSH_ORDER.filter((type) => this.packed[type] !== undefined && this.progress(type).requested && this.pushType(type, changeAt, round));
  }

  private resume(): void {
    if (!this.deferred || this.closed) return;
    this.deferred = false;
    this.push(Date.now());
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
        this.packed[type] = this.packOf(all, type);
      } catch (err) {
        const context = isTrellisError(err) ? err.context : {};
        this.deps.logger.error({ proxy: proxy.id, type, err: errorMessage(err), ...context }, 'xDS resources cannot be encoded; keeping the previous ones');
      }
    }
  }

  /** Counts a response written (and its push time when part of a push). */
  protected sent(type: XdsMetricType, changeAt: number | undefined): void {
    this.deps.metrics.pushed(type);
    if (changeAt !== undefined) this.deps.metrics.pushTime(type, (Date.now() - changeAt) / 1000);
  }

  status(): ProxySyncStatus | undefined {
    if (this.proxy === undefined) return undefined;
    const types = {} as Record<XdsTypeShort, TypeSyncStatus>;
    for (const type of PUSH_ORDER) {
      const s = this.progress(type);
      if (type === 'SDS' && !s.requested) continue;
      types[type] = typeStatus(s);
    }
    return { id: this.proxy.id, connectionId: this.connectionId, proxy: this.proxy, connectedAt: this.connectedAt.toISOString(), protocol: this.protocol, types };
  }

  /** What the proxy holds, per type. */
  dump(): XdsResources {
    let out = emptyResources();
    for (const type of PUSH_ORDER) {
      const held = this.held(type);
      if (type !== 'SDS' || held.length > 0) out = withType(out, type, held);
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

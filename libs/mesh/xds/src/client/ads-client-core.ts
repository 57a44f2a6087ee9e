import { errorMessage, grpcCodeName, type Logger } from '@trellis/shared';
import type { XdsNode } from '../proto/discovery-types';
import { wireSchema } from '../proto/wire-schema';
import { PUSH_ORDER, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { GrpcChannel, type BidiStream } from './grpc-stream';
import { edsNamesOf, rdsNamesOf, sdsNamesOf } from './references';

/** `delta`: DeltaAggregatedResources (the proxy's default, as istiod's Envoy); `sotw`: StreamAggregatedResources. */
export type AdsProtocol = 'delta' | 'sotw';

export interface AdsClientOptions {
  /** `host:port` of the ADS server. */
  readonly target: string;
  readonly node: XdsNode & { readonly id: string };
  /**
   * Applies one response: every resource of the type the proxy now holds (with delta, the held set
   * after the changes). Throwing NACKs it (error_detail {code: 3, message}); the consumer keeps its
   * previous state. Called in arrival order (the server sends CDS → EDS → LDS → RDS).
   */
  readonly onResources: (type: XdsTypeShort, resources: XdsResource[], version: string) => void;
  readonly logger: Logger;
  /** Default `delta`. */
  readonly protocol?: AdsProtocol;
  /**
   * Delta only, default true: announce VHDS (node client_features `trellis.xds.vhds`) and take route
   * configurations as shells + VirtualHost resources; the consumer still gets whole RouteConfigurations.
   */
  readonly vhds?: boolean;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly onConnectionChange?: (connected: boolean) => void;
}

export interface AdsClient {
  /** True once a response arrived on the current stream. */
  readonly connected: boolean;
  readonly protocol: AdsProtocol;
  ackedVersions(): Partial<Record<XdsTypeShort, string>>;
  close(): void;
}

export const INVALID_ARGUMENT = 3;

/**
 * As Envoy's xDS client: HTTP/2 windows of 256 MiB (Envoy's initial stream and connection window
 * defaults), so a large push is never paced by WINDOW_UPDATE round trips, and no 4 MiB cap on a
 * response (grpc-js's default), which a mesh with thousands of services exceeds. The transport is
 * grpc-stream.ts on node:http2, not @grpc/grpc-js, which would cost the proxy ~10 MB of RSS.
 */
const ADS_WINDOW_BYTES = 256 * 1024 * 1024;

/** The referenced types: subscribed by name from what CDS and LDS reference. */
export type NamedType = 'EDS' | 'RDS' | 'SDS';

/**
 * What both protocols share: the stream and its reconnects with back-off, the node on the first
 * request, and the named subscriptions following what CDS/LDS reference (EDS, RDS, SDS).
 */
export abstract class AdsClientCore implements AdsClient {
  abstract readonly protocol: AdsProtocol;
  protected abstract readonly methodPath: string;
  private readonly channel: GrpcChannel;
  private readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  protected readonly names: Record<NamedType, string[]> = { EDS: [], RDS: [], SDS: [] };
  /** SDS names referenced over ADS, per referencing type (the subscription is their union). */
  private readonly secretRefs: { CDS: string[]; LDS: string[] } = { CDS: [], LDS: [] };
  private call: BidiStream | undefined;
  private nodeSent = false;
  private closed = false;
  private isConnected = false;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(protected readonly options: AdsClientOptions) {
    wireSchema();
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 10_000 };
    this.delay = this.backoff.initialMs;
    this.channel = new GrpcChannel(options.target, { windowBytes: ADS_WINDOW_BYTES, maxMessageBytes: ADS_WINDOW_BYTES, userAgent: 'trellis-proxy' });
  }

  /** Sends the first requests of a new stream (with what is already held, for a reconnect). */
  protected abstract openStream(): void;
  /** Decodes one response (throws on bytes that do not parse) and applies it. */
  protected abstract onResponseBytes(bytes: Buffer): void;
  /** Sends a named type's subscription change. */
  protected abstract sendSubscription(type: NamedType, before: readonly string[], after: readonly string[]): void;
  abstract ackedVersions(): Partial<Record<XdsTypeShort, string>>;

  get connected(): boolean {
    return this.isConnected;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.call?.cancel();
    this.call = undefined;
    this.channel.close();
    this.setConnected(false);
  }

  protected connect(): void {
    if (this.closed) return;
    const current: BidiStream = this.channel.openBidiStream(this.methodPath, {
      onMessage: (bytes) => {
        if (this.call === current) this.onMessage(current, bytes);
      },
      onEnd: (status) => {
        if (this.call === current) this.scheduleReconnect(`${grpcCodeName(status.code)}: ${status.details}`);
      },
    });
    this.call = current;
    this.nodeSent = false;
    this.openStream();
  }

  /** The node sent with a stream's first request. */
  protected node(): XdsNode {
    return this.options.node;
  }

  /** Writes one request; the node goes with the first of the stream. */
  protected write(encode: (node: XdsNode | undefined) => Buffer): void {
    this.call?.write(encode(this.nodeSent ? undefined : this.node()));
    this.nodeSent = true;
  }

  /** As grpc-js does with a response it cannot deserialize: end the call (INTERNAL) and reconnect. */
  private onMessage(current: BidiStream, bytes: Buffer): void {
    try {
      this.onResponseBytes(bytes);
    } catch (err) {
      this.call = undefined;
      current.cancel();
      this.scheduleReconnect(`INTERNAL: Failed to parse server response: ${errorMessage(err)}`);
    }
  }

  /** A response arrived: the stream works. */
  protected received(): void {
    this.setConnected(true);
    this.delay = this.backoff.initialMs;
  }

  /** After CDS or LDS was applied: follow what they reference. */
  protected followReferences(type: XdsTypeShort, resources: readonly XdsResource[]): void {
    if (type === 'CDS') this.resubscribe('EDS', edsNamesOf(resources));
    if (type === 'LDS') this.resubscribe('RDS', rdsNamesOf(resources));
    if (type === 'CDS' || type === 'LDS') {
      this.secretRefs[type] = sdsNamesOf(resources);
      this.resubscribe('SDS', [...new Set([...this.secretRefs.CDS, ...this.secretRefs.LDS])].sort());
    }
  }

  private resubscribe(type: NamedType, names: string[]): void {
    const before = this.names[type];
    if (names.join('\0') === before.join('\0')) return;
    this.names[type] = names;
    this.sendSubscription(type, before, names);
  }

  protected rejected(type: XdsTypeShort, version: string, err: unknown): string {
    const message = errorMessage(err);
    this.options.logger.warn({ type, version, err: message }, 'xDS response rejected');
    return message;
  }

  private scheduleReconnect(why: string): void {
    this.setConnected(false);
    if (this.closed || this.timer !== undefined) return;
    const wait = Math.round(this.delay * (0.8 + Math.random() * 0.4));
    this.delay = Math.min(this.delay * 2, this.backoff.maxMs);
    this.options.logger.info({ target: this.options.target, why, waitMs: wait, protocol: this.protocol }, 'xDS stream lost; reconnecting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, wait);
  }

  private setConnected(value: boolean): void {
    if (this.isConnected === value) return;
    this.isConnected = value;
    this.options.onConnectionChange?.(value);
  }
}

/** Types in push order that are subscribed by name. */
export const NAMED_TYPES: readonly NamedType[] = PUSH_ORDER.filter((t): t is NamedType => t === 'EDS' || t === 'RDS' || t === 'SDS');

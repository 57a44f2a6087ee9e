import { errorMessage, grpcCodeName, type Logger } from '@trellis/shared';
import { ADS_METHOD_PATH, type DiscoveryRequest, type XdsNode } from '../proto/discovery-types';
import { writeDiscoveryRequest } from '../proto/request-wire';
import { readDiscoveryResponse } from '../proto/response-read';
import type { DiscoveryResponseFields } from '../proto/response-wire';
import { decodeAnyValue } from '../proto/wire-decode';
import { wireSchema } from '../proto/wire-schema';
import { PUSH_ORDER, TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { GrpcChannel, type BidiStream } from './grpc-stream';
import { edsNamesOf, rdsNamesOf, sdsNamesOf } from './references';

export interface AdsClientOptions {
  /** `host:port` of the ADS server. */
  readonly target: string;
  readonly node: XdsNode & { readonly id: string };
  /**
   * Applies one response. Throwing NACKs it (error_detail {code: 3, message}); the consumer keeps
   * its previous state. Called in arrival order (the server sends CDS → EDS → LDS → RDS).
   */
  readonly onResources: (type: XdsTypeShort, resources: XdsResource[], version: string) => void;
  readonly logger: Logger;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly onConnectionChange?: (connected: boolean) => void;
}

export interface AdsClient {
  /** True once a response arrived on the current stream. */
  readonly connected: boolean;
  ackedVersions(): Partial<Record<XdsTypeShort, string>>;
  close(): void;
}

interface ClientTypeState {
  names: string[];
  ackedVersion: string;
  nonce: string;
}

const INVALID_ARGUMENT = 3;

/**
 * As Envoy's xDS client: HTTP/2 windows of 256 MiB (Envoy's initial stream and connection window
 * defaults), so a large push is never paced by WINDOW_UPDATE round trips, and no 4 MiB cap on a
 * response (grpc-js's default), which a mesh with thousands of services exceeds. The transport is
 * grpc-stream.ts on node:http2, not @grpc/grpc-js, which would cost the proxy ~10 MB of RSS.
 */
const ADS_WINDOW_BYTES = 256 * 1024 * 1024;

/** Our proxy's ADS client: wildcard CDS+LDS, then EDS/RDS/SDS for what they reference; ACK/NACK; reconnects. */
export function createAdsClient(options: AdsClientOptions): AdsClient {
  wireSchema();
  return new AdsClientImpl(options);
}

function emptyState(): ClientTypeState {
  return { names: [], ackedVersion: '', nonce: '' };
}

class AdsClientImpl implements AdsClient {
  private readonly channel: GrpcChannel;
  private readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  private readonly state: Record<XdsTypeShort, ClientTypeState> = { CDS: emptyState(), EDS: emptyState(), LDS: emptyState(), RDS: emptyState(), SDS: emptyState() };
  /** SDS names referenced over ADS, per referencing type (the subscription is their union). */
  private readonly secretRefs: { CDS: string[]; LDS: string[] } = { CDS: [], LDS: [] };
  private call: BidiStream | undefined;
  private nodeSent = false;
  private closed = false;
  private isConnected = false;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AdsClientOptions) {
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 10_000 };
    this.delay = this.backoff.initialMs;
    this.channel = new GrpcChannel(options.target, { windowBytes: ADS_WINDOW_BYTES, maxMessageBytes: ADS_WINDOW_BYTES, userAgent: 'trellis-proxy' });
    this.connect();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  ackedVersions(): Partial<Record<XdsTypeShort, string>> {
    return Object.fromEntries(PUSH_ORDER.filter((t) => this.state[t].ackedVersion !== '').map((t) => [t, this.state[t].ackedVersion]));
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.call?.cancel();
    this.call = undefined;
    this.channel.close();
    this.setConnected(false);
  }

  private connect(): void {
    if (this.closed) return;
    const current: BidiStream = this.channel.openBidiStream(ADS_METHOD_PATH, {
      onMessage: (bytes) => {
        if (this.call === current) this.onMessage(current, bytes);
      },
      onEnd: (status) => {
        if (this.call === current) this.scheduleReconnect(`${grpcCodeName(status.code)}: ${status.details}`);
      },
    });
    this.call = current;
    this.nodeSent = false;
    for (const type of PUSH_ORDER) this.state[type].nonce = '';
    this.send('CDS');
    this.send('LDS');
    if (this.state.EDS.names.length > 0) this.send('EDS');
    if (this.state.RDS.names.length > 0) this.send('RDS');
    if (this.state.SDS.names.length > 0) this.send('SDS');
  }

  private send(type: XdsTypeShort, extra: Partial<DiscoveryRequest> = {}): void {
    const s = this.state[type];
    this.call?.write(
      writeDiscoveryRequest({
        type_url: TYPE_URLS[type],
        version_info: s.ackedVersion,
        response_nonce: s.nonce,
        resource_names: s.names,
        ...(this.nodeSent ? {} : { node: this.options.node }),
        ...extra,
      }),
    );
    this.nodeSent = true;
  }

  /** As grpc-js does with a response it cannot deserialize: end the call (INTERNAL) and reconnect. */
  private onMessage(current: BidiStream, bytes: Buffer): void {
    let res: DiscoveryResponseFields;
    try {
      res = readDiscoveryResponse(bytes);
    } catch (err) {
      this.call = undefined;
      current.cancel();
      this.scheduleReconnect(`INTERNAL: Failed to parse server response: ${errorMessage(err)}`);
      return;
    }
    this.onResponse(res);
  }

  private onResponse(res: DiscoveryResponseFields): void {
    const type = typeShortOf(res.type_url);
    if (type === undefined) return;
    this.setConnected(true);
    this.delay = this.backoff.initialMs;
    const s = this.state[type];
    s.nonce = res.nonce;
    let resources: XdsResource[];
    try {
      resources = res.resources.map((any) => decodeAnyValue(any.type_url, any.value));
      this.options.onResources(type, resources, res.version_info);
    } catch (err) {
      this.options.logger.warn({ type, version: res.version_info, err: errorMessage(err) }, 'xDS response rejected');
      this.send(type, { error_detail: { code: INVALID_ARGUMENT, message: errorMessage(err) } });
      return;
    }
    s.ackedVersion = res.version_info;
    this.send(type);
    if (type === 'CDS') this.resubscribe('EDS', edsNamesOf(resources));
    if (type === 'LDS') this.resubscribe('RDS', rdsNamesOf(resources));
    if (type === 'CDS' || type === 'LDS') {
      this.secretRefs[type] = sdsNamesOf(resources);
      this.resubscribe('SDS', [...new Set([...this.secretRefs.CDS, ...this.secretRefs.LDS])].sort());
    }
  }

  private resubscribe(type: 'EDS' | 'RDS' | 'SDS', names: string[]): void {
    const s = this.state[type];
    if (names.join('\0') === s.names.join('\0')) return;
    s.names = names;
    this.send(type);
  }

  private scheduleReconnect(why: string): void {
    this.setConnected(false);
    if (this.closed || this.timer !== undefined) return;
    const wait = Math.round(this.delay * (0.8 + Math.random() * 0.4));
    this.delay = Math.min(this.delay * 2, this.backoff.maxMs);
    this.options.logger.info({ target: this.options.target, why, waitMs: wait }, 'xDS stream lost; reconnecting');
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

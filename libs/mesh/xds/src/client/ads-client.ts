import * as grpc from '@grpc/grpc-js';
import { errorMessage, type Logger } from '@trellis/shared';
import { unpackResource } from '../proto/codec';
import { ADS_METHOD_PATH, decodeDiscoveryResponse, encodeDiscoveryRequest, type DiscoveryRequest, type DiscoveryResponse, type XdsNode } from '../proto/discovery';
import { envoyRoot } from '../proto/root';
import { PUSH_ORDER, TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { edsNamesOf, rdsNamesOf } from './references';

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

/** Our proxy's ADS client: wildcard CDS+LDS, then EDS/RDS for what they reference; ACK/NACK; reconnects. */
export function createAdsClient(options: AdsClientOptions): AdsClient {
  envoyRoot();
  const log = options.logger;
  const backoff = options.backoff ?? { initialMs: 200, maxMs: 10_000 };
  const channel = new grpc.Client(options.target, grpc.credentials.createInsecure());
  const state: Record<XdsTypeShort, ClientTypeState> = {
    CDS: { names: [], ackedVersion: '', nonce: '' },
    EDS: { names: [], ackedVersion: '', nonce: '' },
    LDS: { names: [], ackedVersion: '', nonce: '' },
    RDS: { names: [], ackedVersion: '', nonce: '' },
  };
  let call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse> | undefined;
  let nodeSent = false;
  let closed = false;
  let connected = false;
  let delay = backoff.initialMs;
  let timer: NodeJS.Timeout | undefined;

  const setConnected = (value: boolean): void => {
    if (connected === value) return;
    connected = value;
    options.onConnectionChange?.(value);
  };

  const send = (type: XdsTypeShort, extra: Partial<DiscoveryRequest> = {}): void => {
    const s = state[type];
    const req: DiscoveryRequest = {
      type_url: TYPE_URLS[type],
      version_info: s.ackedVersion,
      response_nonce: s.nonce,
      resource_names: s.names,
      ...(nodeSent ? {} : { node: options.node }),
      ...extra,
    };
    nodeSent = true;
    call?.write(req);
  };

  const resubscribe = (type: 'EDS' | 'RDS', names: string[]): void => {
    const s = state[type];
    if (names.join('\0') === s.names.join('\0')) return;
    s.names = names;
    send(type);
  };

  const onResponse = (res: DiscoveryResponse): void => {
    const type = typeShortOf(res.type_url);
    if (type === undefined) return;
    setConnected(true);
    delay = backoff.initialMs;
    const s = state[type];
    s.nonce = res.nonce;
    let resources: XdsResource[];
    try {
      resources = res.resources.map((any) => unpackResource(any));
      options.onResources(type, resources, res.version_info);
    } catch (err) {
      log.warn({ type, version: res.version_info, err: errorMessage(err) }, 'xDS response rejected');
      send(type, { error_detail: { code: INVALID_ARGUMENT, message: errorMessage(err) } });
      return;
    }
    s.ackedVersion = res.version_info;
    send(type);
    if (type === 'CDS') resubscribe('EDS', edsNamesOf(resources));
    if (type === 'LDS') resubscribe('RDS', rdsNamesOf(resources));
  };

  const scheduleReconnect = (why: string): void => {
    setConnected(false);
    if (closed || timer !== undefined) return;
    const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
    delay = Math.min(delay * 2, backoff.maxMs);
    log.info({ target: options.target, why, waitMs: wait }, 'xDS stream lost; reconnecting');
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, wait);
  };

  const connect = (): void => {
    if (closed) return;
    const current = channel.makeBidiStreamRequest(ADS_METHOD_PATH, encodeDiscoveryRequest, decodeDiscoveryResponse);
    call = current;
    nodeSent = false;
    for (const type of PUSH_ORDER) state[type].nonce = '';
    current.on('data', (res: DiscoveryResponse) => {
      if (call === current) onResponse(res);
    });
    current.on('error', () => undefined); // the status event carries the outcome
    current.on('status', (status: grpc.StatusObject) => {
      if (call === current) scheduleReconnect(`${grpc.status[status.code] ?? status.code}: ${status.details}`);
    });
    send('CDS');
    send('LDS');
    if (state.EDS.names.length > 0) send('EDS');
    if (state.RDS.names.length > 0) send('RDS');
  };

  connect();
  return {
    get connected() {
      return connected;
    },
    ackedVersions: () => Object.fromEntries(PUSH_ORDER.filter((t) => state[t].ackedVersion !== '').map((t) => [t, state[t].ackedVersion])),
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      call?.cancel();
      call = undefined;
      channel.close();
      setConnected(false);
    },
  };
}

import type { IncomingHttpHeaders } from 'node:http';
import * as http2 from 'node:http2';
import { connect } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { tlsFailureOf } from '../tls-connect';
import { connectUpstreamTls } from '../exchange-socket';
import { type PoolOptions, type UpstreamController, type UpstreamHandler, type UpstreamPool, type UpstreamRequest, UpstreamError, tlsConnectError } from '../upstream-pool';

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2); `host` becomes `:authority`. */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

function requestHeaders(req: UpstreamRequest, scheme: string): http2.OutgoingHttpHeaders {
  const src = req.headers ?? {};
  const out: http2.OutgoingHttpHeaders = { ':method': req.method, ':path': req.path, ':scheme': scheme };
  const host = src['host'];
  if (typeof host === 'string') out[':authority'] = host;
  for (const name in src) {
    const v = src[name];
    if (v === undefined || CONNECTION_SPECIFIC.has(name) || (name === 'te' && v !== 'trailers')) continue;
    out[name] = v;
  }
  return out;
}

function withoutPseudo(headers: http2.IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const name in headers) if (name.charCodeAt(0) !== 58 /* ':' */) out[name] = headers[name];
  return out;
}

/** Sessions whose connection was established (a stream failing on any other never reached the host). */
const CONNECTED = new WeakSet<http2.ClientHttp2Session>();
/**
 * The TLS socket under a session to a TLS cluster (its handshake failure explains failed streams), or
 * the exchange layer over it; its `secureConnect` is when the session's connection is up (a layered
 * socket reaches the session through a JS stream that reports connected at once).
 */
const TLS_SOCKETS = new WeakMap<http2.ClientHttp2Session, Duplex>();

/** Why a stream on a session that never connected failed: its TLS handshake, else a connect error. */
function connectFailure(session: http2.ClientHttp2Session): UpstreamError {
  const socket = TLS_SOCKETS.get(session);
  const tls = socket === undefined ? undefined : tlsFailureOf(socket);
  return tls !== undefined ? tlsConnectError(tls.reason) : new UpstreamError('CONNECT_FAILED', 'upstream connect error', true);
}

/** One request on an HTTP/2 stream: the controller its handler gets. */
class H2Slot implements UpstreamController {
  done = false;
  stream: http2.ClientHttp2Stream | undefined;

  constructor(readonly handler: UpstreamHandler) {}

  abort(reason: Error): void {
    if (this.done) return;
    this.stream?.close(http2.constants.NGHTTP2_CANCEL);
    this.fail(reason);
  }

  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.handler.onResponseError(this, err);
  }
}

/**
 * HTTP/2 (h2c, prior knowledge) to one upstream host: one session multiplexes every request, as
 * Envoy does for http2_protocol_options clusters (gRPC). The session is replaced after GOAWAY,
 * an error or its idle timeout.
 */
export class H2Pool implements UpstreamPool {
  private session: http2.ClientHttp2Session | undefined;
  private inFlight = 0;
  private closing = false;
  private onDrained: (() => void) | undefined;
  private readonly authority: string;
  private readonly scheme: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly options: PoolOptions,
  ) {
    this.scheme = options.transport === undefined ? 'http' : 'https';
    this.authority = `${this.scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get connected(): number {
    return this.session !== undefined && CONNECTED.has(this.session) ? 1 : 0;
  }

  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const slot = new H2Slot(handler);
    handler.onRequestStart(slot);
    if (slot.done) return;
    if (this.closing) return slot.fail(new UpstreamError('POOL_CLOSED', 'upstream pool closed', true));
    const session = this.sessionFor();
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(requestHeaders(req, this.scheme), { endStream: req.body === null });
    } catch (err) {
      return slot.fail(new UpstreamError('CONNECT_FAILED', `upstream connect error: ${(err as Error).message}`, !CONNECTED.has(session)));
    }
    slot.stream = stream;
    this.inFlight++;
    this.wire(slot, stream, session);
    sendBody(stream, req.body);
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.inFlight === 0) {
      this.session?.close();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.onDrained = () => {
        this.session?.close();
        resolve();
      };
    });
  }

  destroy(): void {
    this.closing = true;
    this.session?.destroy();
    this.session = undefined;
  }

  private wire(slot: H2Slot, stream: http2.ClientHttp2Stream, session: http2.ClientHttp2Session): void {
    const h = slot.handler;
    // Node emits 'response' a tick after the HEADERS frame while DATA read with it is pushed at once:
    // the body is read only once the head went to the handler (headers and body in one read happen
    // when the upstream writes them together, e.g. an app behind a tcp_proxy).
    stream.on('response', (headers) => {
      if (!slot.done) h.onResponseStart(slot, Number(headers[':status']), withoutPseudo(headers));
      stream.on('data', (chunk: Buffer) => {
        if (!slot.done) h.onResponseData(slot, chunk);
      });
    });
    stream.on('trailers', (trailers) => {
      if (!slot.done) h.onResponseTrailers?.(slot, withoutPseudo(trailers));
    });
    stream.on('end', () => {
      if (slot.done) return;
      slot.done = true;
      h.onResponseEnd(slot);
    });
    stream.on('error', () => undefined); // the outcome is decided at 'close'
    stream.once('close', () => {
      this.inFlight--;
      if (!slot.done) {
        const beforeConnect = !CONNECTED.has(session);
        slot.fail(beforeConnect ? connectFailure(session) : new UpstreamError('STREAM_RESET', `upstream reset (code ${stream.rstCode})`));
      }
      if (this.closing && this.inFlight === 0) this.onDrained?.();
    });
  }

  /** h2c, or HTTP/2 over the cluster's TLS (the handshake verified before the session starts). */
  private connect(): http2.ClientHttp2Session {
    const t = this.options.transport;
    const localAddress = this.options.localAddress;
    if (t === undefined) {
      if (localAddress === undefined) return http2.connect(this.authority, { settings: { enablePush: false } });
      return http2.connect(this.authority, { settings: { enablePush: false }, createConnection: () => connect({ host: this.host, port: this.port, localAddress, noDelay: true }) });
    }
    let socket: Duplex | undefined;
    const session = http2.connect(this.authority, {
      settings: { enablePush: false },
      createConnection: () => (socket = connectUpstreamTls({ host: this.host, port: this.port, transport: t, sni: this.options.sni ?? '', localAddress, alpn: this.options.alpn }, this.options.exchange)),
    });
    if (socket !== undefined) TLS_SOCKETS.set(session, socket);
    return session;
  }

  private sessionFor(): http2.ClientHttp2Session {
    if (this.session !== undefined && !this.session.closed && !this.session.destroyed) return this.session;
    const session = this.connect();
    this.session = session;
    const timer = this.options.connectTimeoutMs > 0 ? setTimeout(() => session.destroy(), this.options.connectTimeoutMs) : undefined;
    const tls = TLS_SOCKETS.get(session);
    const up = (): void => {
      CONNECTED.add(session);
      if (timer !== undefined) clearTimeout(timer);
    };
    if (tls !== undefined) tls.once('secureConnect', up);
    else session.once('connect', up);
    const forget = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      if (this.session === session) this.session = undefined;
    };
    session.on('error', forget);
    session.once('close', forget);
    session.once('goaway', forget);
    session.setTimeout(this.options.idleTimeoutMs, () => session.close());
    return session;
  }
}

function sendBody(stream: http2.ClientHttp2Stream, body: UpstreamRequest['body']): void {
  if (body === null) return;
  if (Buffer.isBuffer(body)) {
    stream.end(body);
    return;
  }
  (body as Readable).pipe(stream);
}

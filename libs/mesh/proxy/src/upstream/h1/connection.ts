import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { tlsFailureOf } from '../tls-connect';
import { connectUpstreamTls } from '../exchange-socket';
import { ResponseParser, type ResponseEvents } from './response-parser';
import { writeRequest } from './request-writer';
import { type PoolOptions, type UpstreamController, type UpstreamHandler, type UpstreamRequest, UpstreamError, tlsConnectError } from '../upstream-pool';

/** What a connection tells its pool. */
export interface ConnectionOwner {
  readonly options: PoolOptions;
  /** The response ended and the connection can carry another request. */
  release(conn: H1Connection): void;
  /** The connection is gone (closed, failed, or not reusable). */
  removed(conn: H1Connection): void;
}

/** One request's handle: the controller its handler gets, bound to this request only. */
export class RequestSlot implements UpstreamController {
  done = false;
  conn: H1Connection | undefined;
  /** Set while the request pends for a connection (the cluster's pending breaker); called once. */
  leavePending: (() => void) | undefined;

  constructor(
    readonly req: UpstreamRequest,
    readonly handler: UpstreamHandler,
    private readonly onQueuedAbort: (slot: RequestSlot) => void,
  ) {}

  abort(reason: Error): void {
    if (this.done) return;
    if (this.conn !== undefined) this.conn.destroy();
    else this.onQueuedAbort(this);
    this.fail(reason);
  }

  pause(): void {
    if (!this.done) this.conn?.socket.pause();
  }

  resume(): void {
    if (!this.done) this.conn?.socket.resume();
  }

  /** Its connection is established: no longer pending. */
  connected(): void {
    const leave = this.leavePending;
    this.leavePending = undefined;
    leave?.();
  }

  /** Ends the request with an error, once. */
  fail(err: Error): void {
    this.connected();
    if (this.done) return;
    this.done = true;
    this.handler.onResponseError(this, err);
  }
}

/**
 * One keep-alive HTTP/1.1 connection to an upstream host, one request at a time (no pipelining).
 * Bytes are written before the connect completes (Node queues them); the connect timeout, the
 * response parser and the socket's end decide each request's outcome.
 */
export class H1Connection implements ResponseEvents {
  readonly socket: Duplex;
  connected = false;
  idleSince = 0;
  /** The server's keep-alive hint caps how long this connection may sit idle. */
  idleLimitMs: number;
  private current: RequestSlot | undefined;
  private requests = 0;
  private stopBody: (() => void) | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private readonly parser: ResponseParser;
  private gone = false;
  /** TLS: the first request waits for the verified handshake before a byte of it is written. */
  private unverified: RequestSlot | undefined;

  constructor(
    private readonly owner: ConnectionOwner,
    host: string,
    port: number,
  ) {
    const o = owner.options;
    this.idleLimitMs = o.idleTimeoutMs;
    this.parser = new ResponseParser(this, o.maxHeaderBytes);
    const t = o.transport;
    const localAddress = o.localAddress;
    this.socket =
      t === undefined
        ? connect({ host, port, noDelay: true, ...(localAddress !== undefined ? { localAddress } : {}) })
        : connectUpstreamTls({ host, port, transport: t, sni: o.sni ?? '', localAddress, alpn: o.alpn }, o.exchange);
    if (o.connectTimeoutMs > 0) this.connectTimer = setTimeout(onConnectTimeout, o.connectTimeoutMs, this);
    this.socket.once(t === undefined ? 'connect' : 'secureConnect', () => this.onConnect());
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', (err: Error) => this.onSocketGone(err));
    this.socket.once('close', () => this.onSocketGone(undefined));
    this.socket.once('end', () => this.owner.removed(this));
  }

  start(slot: RequestSlot): void {
    this.current = slot;
    slot.conn = this;
    this.requests++;
    this.parser.expect(slot.req.method);
    if (this.connected) slot.connected();
    if (this.owner.options.transport !== undefined && !this.connected) this.unverified = slot;
    else this.stopBody = writeRequest(this.socket, slot.req);
  }

  /** Close now; the pool forgets it at once (the request in flight, if any, fails at the socket's close). */
  destroy(): void {
    this.parser.halt();
    this.socket.destroy();
    this.owner.removed(this);
  }

  onHead(status: number, headers: IncomingHttpHeaders): void {
    const slot = this.current;
    if (slot === undefined || slot.done) return;
    if (this.parser.keepAliveHintMs > 0) this.idleLimitMs = Math.min(this.idleLimitMs, Math.max(this.parser.keepAliveHintMs - 1000, 500));
    slot.handler.onResponseStart(slot, status, headers);
  }

  onBody(chunk: Buffer): void {
    const slot = this.current;
    if (slot !== undefined && !slot.done) slot.handler.onResponseData(slot, chunk);
  }

  onEnd(): void {
    const slot = this.current;
    this.current = undefined;
    if (slot === undefined || slot.done) return;
    slot.done = true;
    const bodyPending = this.stopBody !== undefined && !isBodyDone(slot.req);
    this.stopBody?.();
    this.stopBody = undefined;
    const max = this.owner.options.maxRequestsPerConnection;
    if (this.parser.keepAlive && !bodyPending && (max === 0 || this.requests < max) && !this.gone) this.owner.release(this);
    else this.destroy();
    slot.handler.onResponseEnd(slot);
  }

  private onConnect(): void {
    this.connected = true;
    this.current?.connected();
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    const slot = this.unverified;
    this.unverified = undefined;
    if (slot !== undefined && slot === this.current && !slot.done) this.stopBody = writeRequest(this.socket, slot.req);
  }

  private onData(data: Buffer): void {
    if (this.current === undefined) {
      this.destroy(); // bytes nobody asked for: the connection is out of step
      return;
    }
    try {
      this.parser.feed(data);
    } catch (err) {
      this.destroy();
      this.current?.fail(err as Error);
    }
  }

  /** Error or close: finish a close-delimited body, else fail the request in flight. */
  onSocketGone(err: Error | undefined): void {
    if (this.gone && err === undefined) return;
    this.gone = true;
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.stopBody?.();
    this.stopBody = undefined;
    const slot = this.current;
    if (slot !== undefined && err === undefined && this.parser.endsAtClose) this.parser.finish();
    this.current = undefined;
    this.owner.removed(this);
    if (slot !== undefined && !slot.done) slot.fail(this.failure(err));
  }

  /** A TLS handshake failure is a connect failure with its reason; anything else as it came. */
  private failure(err: Error | undefined): Error {
    const tls = this.connected ? undefined : tlsFailureOf(this.socket);
    if (tls !== undefined) return tlsConnectError(tls.reason);
    return err ?? new UpstreamError('CONNECTION_CLOSED', 'upstream connection closed');
  }
}

function isBodyDone(req: UpstreamRequest): boolean {
  const body = req.body;
  return body === null || Buffer.isBuffer(body) || body.readableEnded;
}

function onConnectTimeout(conn: H1Connection): void {
  conn.destroy();
  conn.onSocketGone(new UpstreamError('CONNECT_TIMEOUT', 'upstream connect timeout', true));
}

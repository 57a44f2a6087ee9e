import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { type CompiledMetadataExchange, type ExchangeEnv, startExchange } from '../tcp/metadata-exchange';
import type { ExchangeReader } from '../tcp/metadata-exchange-reader';
import { type TlsConnectOptions, connectTls, layerTls } from './tls-connect';

/**
 * istiod's upstream `istio.metadata_exchange` (a Cluster's `filters`) applies to every connection the
 * cluster opens, HTTP pools included, as Envoy's upstream network filters do: when a TLS connection
 * negotiates the exchange's ALPN (`istio-peer-exchange`: the server put it on its TCP chain), this
 * proxy writes its exchange before any byte of HTTP and takes the peer's off the front of the stream
 * before the HTTP codec reads. Forwarded requests normally offer `istio-http/1.1` / `istio-h2`
 * (istio.alpn) and never negotiate it; the proxy's own calls (ext_authz, ratelimit, trace reports:
 * side-call.ts) offer the cluster's ALPN and may. tcp_proxy does the same in its byte pumps (tcp-session.ts).
 */

/** A cluster's upstream exchange and what writing it needs. */
export interface UpstreamExchange {
  readonly mx: CompiledMetadataExchange;
  readonly env: ExchangeEnv;
}

/**
 * A TLS connection whose first bytes each way may be the exchange: writes wait for the handshake,
 * then go out after this proxy's exchange; reads pass through the peer's exchange reader. Emits
 * `secureConnect` once the exchange (if any) is written, as the TLS socket under it would.
 */
export class ExchangeSocket extends Duplex {
  private reader: ExchangeReader | undefined;
  private secured = false;
  private held: { chunk: Buffer; cb: (err?: Error | null) => void } | undefined;

  constructor(
    readonly tls: TLSSocket,
    private readonly exchange: UpstreamExchange,
    allowHalfOpen: boolean,
  ) {
    super({ allowHalfOpen });
    layerTls(this, tls);
    tls.once('secureConnect', () => this.onSecure());
    tls.on('data', (d: Buffer) => this.onData(d));
    tls.once('end', () => this.onEnd());
    tls.on('error', (err: Error) => this.destroy(err));
    tls.once('close', () => this.destroy());
  }

  /** The ALPN the TLS handshake settled on (false before, or when none). */
  get alpnProtocol(): string | false {
    return this.tls.alpnProtocol ?? false;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writeOrHold(chunk, cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.writeOrHold(Buffer.concat(chunks.map((c) => c.chunk)), cb);
  }

  private writeOrHold(chunk: Buffer, cb: (err?: Error | null) => void): void {
    if (!this.secured) this.held = { chunk, cb };
    else this.send(chunk, cb);
  }

  override _read(): void {
    this.tls.resume();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.tls.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.tls.destroy();
    cb(err);
  }

  private onSecure(): void {
    // The peer learned here is the destination; the proxy's own calls report no istio metrics of theirs.
    this.reader = startExchange(this.exchange.env, this.exchange.mx, this.tls, () => undefined);
    this.secured = true;
    this.emit('secureConnect');
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.send(held.chunk, held.cb);
  }

  private send(chunk: Buffer, cb: (err?: Error | null) => void): void {
    if (this.tls.write(chunk)) cb();
    else this.tls.once('drain', () => cb());
  }

  private onData(d: Buffer): void {
    const out = this.reader === undefined ? d : this.reader.push(d);
    if (out !== undefined && !this.push(out)) this.tls.pause();
  }

  private onEnd(): void {
    const rest = this.reader?.flush();
    if (rest !== undefined) this.push(rest);
    this.push(null);
  }
}

/**
 * The TLS connection a pool opens: the plain TLS socket, or, when the cluster has the upstream
 * exchange and the connection offers its ALPN (so the server may pick it), one layered for it.
 */
export function connectUpstreamTls(o: TlsConnectOptions, exchange: UpstreamExchange | undefined): TLSSocket | ExchangeSocket {
  const tls = connectTls(o);
  const offered = o.alpn ?? o.transport.tls.alpn;
  if (exchange === undefined || !offered.includes(exchange.mx.protocol)) return tls;
  return new ExchangeSocket(tls, exchange, o.allowHalfOpen ?? false);
}

import { type Http2Server, type ServerHttp2Session, createServer as createH2cServer } from 'node:http2';
import { type Server, type Socket, createServer } from 'node:net';
import { type CodecSniffer, sniffCodec } from '../codec/codec-sniff';
import type { Http1Acceptor, Http1Choice, Http1Connection } from '../codec/h1/http1';
import type { ListenerConfig } from './listener-config';
import type { ListenerTarget, ProxyContext } from '../proxy-context';
import { serveHttp } from '../stack';
import { routerOnlyHcm } from '../http/hcm-config';
import { TcpSession } from '../tcp/tcp-session';
import { captureRoute } from './capture-route';
import { inspectAndSelect } from './inspect-chain';
import type { ChainConfig } from './listener-config';
import type { OriginalDestination } from '../unsafe/original-dst';
import { bindServer } from './bind';

/** Downstream keep-alive connections with nothing in flight close after this long. */
const IDLE_TIMEOUT_MS = 60_000;

/** One bound HTTP listener. `target` can be swapped when LDS changes the listener in place. */
export class HttpListener {
  readonly server: Server;
  /** h2c on the same port (sniffed per connection): gRPC and HTTP/2 clients. */
  private readonly h2: Http2Server;
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly sniffer: CodecSniffer;
  /** HTTP/1.1 on the codec chosen at start-up (llhttp, or the node:http fallback). */
  private readonly http1: Http1Acceptor;
  private readonly connections = new Set<Http1Connection>();
  /** Captured TCP connections (tcp_proxy sessions) on this listener. */
  private readonly tcp = new Set<Socket>();
  target: ListenerTarget;
  config: ListenerConfig;
  host = '';
  port = 0;

  constructor(
    private readonly ctx: ProxyContext,
    config: ListenerConfig,
    http1: Http1Choice,
  ) {
    this.config = config;
    this.target = targetOf(config);
    // Not half-open: a client's FIN while a request is in flight aborts it (as with Node's http.Server).
    this.server = createServer();
    const maxHeaderListSize = config.hcm?.maxRequestHeadersBytes ?? 60 * 1024;
    this.h2 = createH2cServer({ maxSessionMemory: 64, settings: { maxHeaderListSize } }, (req, res) => serveHttp(this.ctx, this.target, req, res));
    this.h2.on('sessionError', (err: Error) => ctx.logger.debug({ err: err.message }, 'downstream HTTP/2 session error'));
    this.h2.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.http1 = http1.acceptor({
      maxHeaderSize: maxHeaderListSize,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
      onRequest: (req, res) => serveHttp(this.ctx, this.target, req, res),
      onProtocolError: (code) => this.ctx.logger.debug({ code }, 'downstream protocol error'),
    });
    this.sniffer = sniffCodec(this.server, this.h2, (socket) => this.accept(socket), (socket) => this.claimTcp(socket));
  }

  /**
   * Capture listeners: SO_ORIGINAL_DST (and, where the chains ask for it, the first bytes) decide
   * whether a connection is served by a tcp_proxy chain, closed (no chain matches) or left to the
   * HTTP codecs. true = taken away from the HTTP path.
   */
  private claimTcp(socket: Socket): boolean {
    const route = captureRoute(this.ctx, this.config, socket);
    if (route.kind === 'http') return false;
    socket.allowHalfOpen = true;
    this.tcp.add(socket);
    socket.once('close', () => this.tcp.delete(socket));
    if (route.kind === 'chain') {
      this.serveChain(socket, route.chain, route.dst);
      return true;
    }
    socket.pause();
    const site = { listener: this.config.name, inspectors: route.inspectors, counters: this.ctx.filterCounters };
    void inspectAndSelect(socket, route.chains, route.facts, site).then(({ chain, closed }) => {
      if (closed) socket.destroy();
      else this.serveChain(socket, chain, route.dst);
    });
    return true;
  }

  /** A chosen chain: tcp_proxy → a session; HTTP (after inspection) → the codecs; none → closed, as Envoy's no_filter_chain_match. */
  private serveChain(socket: Socket, chain: ChainConfig | undefined, dst: OriginalDestination): void {
    if (chain?.tcp !== undefined && chain.hcm === undefined) {
      new TcpSession(this.ctx, chain.tcp, socket, dst);
      return;
    }
    if (chain?.hcm === undefined) {
      this.ctx.filterCounters.counter(`listener.${this.config.name}.no_filter_chain_match`).value++;
      socket.destroy();
      return;
    }
    this.tcp.delete(socket);
    socket.allowHalfOpen = false;
    this.sniffer.accept(socket);
  }

  private accept(socket: Socket): void {
    const connection = this.http1(socket);
    this.connections.add(connection);
    socket.once('close', () => this.connections.delete(connection));
  }

  async listen(host: string, port: number): Promise<void> {
    const bound = await bindServer(this.server, host, port, this.ctx.logger, this.config.name);
    this.host = bound.host;
    this.port = bound.port;
  }

  /** Stop accepting; idle keep-alive connections close now, busy ones after `drainMs`. */
  close(drainMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const c of this.connections) c.socket.destroy();
        for (const s of this.sessions) s.destroy();
        for (const s of this.tcp) s.destroy();
      }, drainMs);
      timer.unref();
      for (const s of this.sessions) s.close(); // GOAWAY: streams in flight finish
      for (const socket of this.sniffer.waiting) socket.destroy(); // connected, nothing sent yet
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const c of this.connections) c.close(); // idle ones now, busy ones after their response
    });
  }
}

export function targetOf(config: ListenerConfig): ListenerTarget {
  return { listener: config, hcm: config.hcm ?? routerOnlyHcm(config.name) };
}

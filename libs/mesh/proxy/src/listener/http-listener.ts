import type { ServerHttp2Session } from 'node:http2';
import { type Server, type Socket, createServer } from 'node:net';
import { type CodecSniffer, type Codecs, sniffCodec } from '../codec/codec-sniff';
import type { Http1Choice, Http1Connection } from '../codec/h1/http1';
import type { ListenerConfig } from './listener-config';
import type { ListenerTarget, ProxyContext } from '../proxy-context';
import { type HcmConfig, routerOnlyHcm } from '../http/hcm-config';
import { TcpSession } from '../tcp/tcp-session';
import { admitConnection } from '../tcp/network-rbac';
import { capturedDestination, captureRoute, rememberCaptured } from './capture-route';
import { inspectAndSelect } from './inspect-chain';
import type { ChainConfig } from './listener-config';
import type { OriginalDestination } from '../unsafe/original-dst';
import { bindServer } from './bind';
import { createCodecs } from './listener-codecs';
import { terminateTls } from '../tls/terminate';

/** One bound HTTP listener. `target` can be swapped when LDS changes the listener in place. */
export class HttpListener {
  readonly server: Server;
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly connections = new Set<Http1Connection>();
  private readonly sets = { sessions: this.sessions, connections: this.connections };
  private readonly sniffer: CodecSniffer;
  /** Codecs of chains pinned to their connections (TLS-terminating chains), per chain config. */
  private readonly pinned = new WeakMap<ChainConfig, Codecs>();
  /** Connections taken from the HTTP path (tcp_proxy sessions, inspection, TLS handshakes). */
  private readonly tcp = new Set<Socket>();
  private readonly maxHeaderListSize: number;
  target: ListenerTarget;
  config: ListenerConfig;
  host = '';
  port = 0;

  constructor(
    private readonly ctx: ProxyContext,
    config: ListenerConfig,
    private readonly http1: Http1Choice,
  ) {
    this.config = config;
    this.target = targetOf(config);
    // Not half-open: a client's FIN while a request is in flight aborts it (as with Node's http.Server).
    this.server = createServer();
    this.maxHeaderListSize = config.hcm?.maxRequestHeadersBytes ?? 60 * 1024;
    const codecs = createCodecs(ctx, http1, this.maxHeaderListSize, () => this.target, this.sets);
    this.sniffer = sniffCodec(this.server, codecs, (socket) => this.claim(socket));
  }

  /**
   * Capture listeners (SO_ORIGINAL_DST) and bound listeners whose chains are chosen per connection:
   * the destination (and, where the chains ask for it, the first bytes) decide whether a connection is
   * served by a tcp_proxy chain, a TLS-terminating chain, closed (no chain matches) or left to the HTTP
   * codecs. true = taken away from the HTTP path.
   */
  private claim(socket: Socket): boolean {
    const route = captureRoute(this.ctx, this.config, socket);
    // The listener's own chain, served without a per-connection choice: its network RBAC decides here (denied = closed, claimed).
    if (route.kind === 'http') return !this.config.useOriginalDst && !admitConnection(this.ctx, this.config.networkRbac, socket);
    socket.allowHalfOpen = true;
    this.tcp.add(socket);
    socket.once('close', () => this.tcp.delete(socket));
    if (route.kind === 'chain') {
      this.serveChain(socket, route.chain, route.dst, route.owner);
      return true;
    }
    socket.pause();
    const site = { listener: this.config.name, inspectors: route.inspectors, counters: this.ctx.filterCounters };
    void inspectAndSelect(socket, route.chains, route.facts, site).then(({ chain, closed }) => {
      if (closed) socket.destroy();
      else this.serveChain(socket, chain, route.dst, route.owner);
    });
    return true;
  }

  /** A chosen chain: TLS terminated first if it says so; tcp_proxy → a session; HTTP → the codecs; none → closed (no_filter_chain_match). */
  private serveChain(socket: Socket, chain: ChainConfig | undefined, dst: OriginalDestination, owner: ListenerConfig): void {
    if (chain === undefined || (chain.hcm === undefined && chain.tcp === undefined)) {
      this.ctx.filterCounters.counter(`listener.${this.config.name}.no_filter_chain_match`).value++;
      // Envoy closes with the client's bytes unread, so the kernel resets: curl sees exit 56 (a STRICT port), not a clean EOF.
      socket.resetAndDestroy();
      return;
    }
    if (chain.tls !== undefined) {
      const captured = capturedDestination(socket);
      void terminateTls(socket, chain.tls, { listener: this.config.name, logger: this.ctx.logger }).then((secure) => {
        if (secure === undefined) return;
        // The codec reads the TLSSocket: it carries the TCP socket's original destination too.
        if (captured !== undefined) rememberCaptured(secure, captured);
        this.serveStream(secure, chain, dst, owner, true);
      });
      return;
    }
    this.serveStream(socket, chain, dst, owner, false);
  }

  private serveStream(socket: Socket, chain: ChainConfig, dst: OriginalDestination, owner: ListenerConfig, pin: boolean): void {
    if (!admitConnection(this.ctx, chain.networkRbac, socket, dst)) return;
    if (chain.hcm === undefined) {
      if (chain.tcp !== undefined) new TcpSession(this.ctx, chain.tcp, socket, dst);
      return;
    }
    if (pin) {
      this.tcp.add(socket);
      socket.once('close', () => this.tcp.delete(socket));
    } else this.tcp.delete(socket);
    socket.allowHalfOpen = false;
    this.sniffer.accept(socket, pin ? this.pinnedCodecs(chain, owner) : undefined);
  }

  /**
   * Codecs for connections pinned to a TLS-terminating chain. Their requests follow LDS: after an update
   * that keeps the chain (same name) they use its new HCM — new http_filters such as RBAC apply to
   * requests on connections accepted before (Envoy drains those connections; here the next request
   * sees the new config). A chain that is gone keeps serving its connections with the config they had.
   */
  private pinnedCodecs(chain: ChainConfig, owner: ListenerConfig): Codecs {
    let codecs = this.pinned.get(chain);
    if (codecs === undefined && chain.hcm !== undefined) {
      codecs = createCodecs(this.ctx, this.http1, this.maxHeaderListSize, this.pinnedTarget(chain, owner), this.sets);
      this.pinned.set(chain, codecs);
    }
    return codecs as Codecs;
  }

  /** The current target of a pinned chain: looked up again only when its owner's config object changed. */
  private pinnedTarget(chain: ChainConfig, owner: ListenerConfig): () => ListenerTarget {
    const first: ListenerTarget = { listener: owner, hcm: chain.hcm as HcmConfig, pinned: true };
    let seen = owner;
    let target = first;
    return () => {
      const current = owner.name === this.config.name ? this.config : (this.ctx.listeners.get(owner.name) ?? seen);
      if (current !== seen) {
        seen = current;
        const hcm = current.chains.find((c) => c.name === chain.name && c.hcm !== undefined)?.hcm;
        target = hcm === undefined ? first : { listener: current, hcm, pinned: true };
      }
      return target;
    };
  }

  async listen(host: string, port: number): Promise<void> {
    const bound = await bindServer(this.server, host, port, this.ctx.logger, this.config.name);
    this.host = bound.host;
    this.port = bound.port;
  }

  /**
   * Envoy's graceful drain (`/drain_listeners?graceful`): keep accepting, since clients and kube-proxy
   * still send here until the endpoint is gone; HTTP/2 sessions get GOAWAY; HTTP/1.1 connections, new
   * or kept alive, are answered `connection: close` (ctx.draining) and end after that response. Idle
   * ones are left open until close(), as Envoy does: closing them now races a client that is sending
   * on one (a reset it cannot retry).
   */
  startDrain(): void {
    for (const s of this.sessions) s.close();
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

import { type Server, type Socket, createServer } from 'node:net';
import type { ProxyContext } from '../proxy-context';
import { TcpSession } from '../tcp/tcp-session';
import { admitConnection } from '../tcp/network-rbac';
import type { ChainConfig, ListenerConfig } from './listener-config';
import { terminateTls } from '../tls/terminate';
import { bindServer } from './bind';
import { type ConnectionFacts, selectChain } from './chain-match';
import { inspectAndSelect, mustInspect } from './inspect-chain';

/**
 * One bound TCP listener: a listener whose filter chain is envoy.filters.network.tcp_proxy (no HTTP
 * connection manager). Each accepted connection becomes a TcpSession; `config` can be swapped in
 * place on LDS updates (new connections use it). Half-open: a client FIN is passed on, not answered.
 */
export class TcpListener {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  host = '';
  port = 0;

  constructor(
    private readonly ctx: ProxyContext,
    public config: ListenerConfig,
  ) {
    this.server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const config = this.config;
    const facts: ConnectionFacts = { destinationPort: config.port, destinationIp: socket.localAddress };
    if (!mustInspect(config.chains, facts, config.inspectors)) {
      this.serve(socket, config.chains.length === 0 ? { tcp: config.tcp, tls: undefined, networkRbac: config.networkRbac } : selectChain(config.chains, facts));
      return;
    }
    // tls_inspector: e.g. the ClientHello's SNI picks the chain (Gateway TLS PASSTHROUGH); the bytes stay in the socket.
    const site = { listener: config.name, inspectors: config.inspectors, counters: this.ctx.filterCounters };
    void inspectAndSelect(socket, config.chains, facts, site).then(({ chain, closed }) => {
      if (closed) socket.destroy();
      else this.serve(socket, chain);
    });
  }

  /** No chain matches: closed, as Envoy does (its `no_filter_chain_match`); a TLS chain terminates first (tls/terminate.ts). */
  private serve(socket: Socket, chain: Pick<ChainConfig, 'tcp' | 'tls' | 'networkRbac'> | undefined): void {
    const tcp = chain?.tcp;
    if (tcp === undefined) {
      this.ctx.filterCounters.counter(`listener.${this.config.name}.no_filter_chain_match`).value++;
      // Envoy closes with the client's bytes unread, so the kernel resets: curl sees exit 56 (a STRICT port), not a clean EOF.
      socket.resetAndDestroy();
      return;
    }
    if (chain?.tls === undefined) {
      if (admitConnection(this.ctx, chain?.networkRbac, socket)) new TcpSession(this.ctx, tcp, socket);
      return;
    }
    void terminateTls(socket, chain.tls, { listener: this.config.name, logger: this.ctx.logger }).then((secure) => {
      if (secure === undefined) return;
      this.sockets.add(secure);
      secure.once('close', () => this.sockets.delete(secure));
      if (admitConnection(this.ctx, chain.networkRbac, secure)) new TcpSession(this.ctx, tcp, secure);
    });
  }

  async listen(host: string, port: number): Promise<void> {
    const bound = await bindServer(this.server, host, port, this.ctx.logger, this.config.name);
    this.host = bound.host;
    this.port = bound.port;
  }

  /** Stop accepting; open connections get `drainMs` to finish, then are closed. */
  close(drainMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, drainMs);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      if (this.sockets.size === 0) clearTimeout(timer);
    });
  }
}

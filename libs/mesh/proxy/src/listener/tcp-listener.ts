import { type Server, type Socket, createServer } from 'node:net';
import type { ProxyContext } from '../proxy-context';
import { TcpSession } from '../tcp/tcp-session';
import type { ListenerConfig } from './listener-config';

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
    const tcp = this.config.tcp;
    if (tcp === undefined) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    new TcpSession(this.ctx, tcp, socket);
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.ctx.logger.error({ err, listener: this.config.name }, 'listener error'));
        const addr = this.server.address();
        if (addr !== null && typeof addr === 'object') {
          this.host = addr.address;
          this.port = addr.port;
        }
        resolve();
      });
    });
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

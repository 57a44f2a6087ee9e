import { type Server, createServer } from 'node:http';
import { type Http2Server, type ServerHttp2Session, createServer as createH2cServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { Logger } from '@trellis/shared';
import { sniffCodec } from './codec-sniff';
import type { ListenerConfig } from './listener-config';
import type { ListenerTarget, ProxyContext } from './proxy-context';
import { serveHttp } from './request-pipeline';

const CODEC_REPLIES: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
  default: 'HTTP/1.1 400 Bad Request\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
};

/** Codec errors (malformed HTTP, oversized headers) answer 400/431 and close; never throw. */
function onClientError(logger: Logger, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  logger.debug({ code: err.code }, 'downstream protocol error');
  socket.end(CODEC_REPLIES[err.code ?? ''] ?? CODEC_REPLIES['default']);
}

/** One bound HTTP listener. `target` can be swapped when LDS changes the listener in place. */
export class HttpListener {
  readonly server: Server;
  /** h2c on the same port (sniffed per connection): gRPC and HTTP/2 clients. */
  private readonly h2: Http2Server;
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly sniffing: ReadonlySet<Socket>;
  target: ListenerTarget;
  config: ListenerConfig;
  host = '';
  port = 0;

  constructor(
    private readonly ctx: ProxyContext,
    config: ListenerConfig,
  ) {
    this.config = config;
    this.target = targetOf(config);
    this.server = createServer(
      { maxHeaderSize: config.hcm?.maxRequestHeadersBytes ?? 60 * 1024, keepAliveTimeout: 60_000, requestTimeout: 0 },
      (req, res) => serveHttp(this.ctx, this.target, req, res),
    );
    this.server.headersTimeout = 60_000;
    this.server.on('clientError', (err: Error, socket: Socket) => onClientError(ctx.logger, err, socket));
    const maxHeaderListSize = config.hcm?.maxRequestHeadersBytes ?? 60 * 1024;
    this.h2 = createH2cServer({ maxSessionMemory: 64, settings: { maxHeaderListSize } }, (req, res) => serveHttp(this.ctx, this.target, req, res));
    this.h2.on('sessionError', (err: Error) => ctx.logger.debug({ err: err.message }, 'downstream HTTP/2 session error'));
    this.h2.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.sniffing = sniffCodec(this.server, this.h2);
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

  /** Stop accepting; idle keep-alive connections close now, busy ones after `drainMs`. */
  close(drainMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.closeAllConnections();
        for (const s of this.sessions) s.destroy();
      }, drainMs);
      timer.unref();
      for (const s of this.sessions) s.close(); // GOAWAY: streams in flight finish
      for (const socket of this.sniffing) socket.destroy(); // connected, nothing sent yet
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }
}

export function targetOf(config: ListenerConfig): ListenerTarget {
  const hcm = config.hcm ?? {
    statPrefix: config.name,
    rdsName: undefined,
    inlineRoutes: undefined,
    generateRequestId: true,
    useRemoteAddress: false,
    maxRequestHeadersBytes: 60 * 1024,
    faultEnabled: false,
  };
  return { listener: config, hcm };
}

import { type Server, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@trellis/shared';
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
    this.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
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
      const timer = setTimeout(() => this.server.closeAllConnections(), drainMs);
      timer.unref();
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

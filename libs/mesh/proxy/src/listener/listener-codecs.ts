import { type ServerHttp2Session, createServer as createH2cServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { Codecs } from '../codec/codec-sniff';
import type { Http1Choice, Http1Connection } from '../codec/h1/http1';
import type { ListenerTarget, ProxyContext } from '../proxy-context';
import { serveHttp } from '../stack';

/** Downstream keep-alive connections with nothing in flight close after this long. */
const IDLE_TIMEOUT_MS = 60_000;

/** What a listener tracks of its HTTP connections, for drains. */
export interface ConnectionSets {
  readonly sessions: Set<ServerHttp2Session>;
  readonly connections: Set<Http1Connection>;
}

/**
 * The HTTP codecs serving one target: the listener's own (its target can be swapped in place on LDS
 * updates, so it is read per request through `target()`), or a filter chain pinned to a connection
 * (a TLS-terminating chain: its HCM serves every request on that connection, as in Envoy).
 */
export function createCodecs(ctx: ProxyContext, http1: Http1Choice, maxHeaderListSize: number, target: () => ListenerTarget, sets: ConnectionSets): Codecs {
  const h2 = createH2cServer({ maxSessionMemory: 64, settings: { maxHeaderListSize } }, (req, res) => serveHttp(ctx, target(), req, res));
  h2.on('sessionError', (err: Error) => ctx.logger.debug({ err: err.message }, 'downstream HTTP/2 session error'));
  h2.on('session', (session: ServerHttp2Session) => {
    sets.sessions.add(session);
    session.once('close', () => sets.sessions.delete(session));
  });
  const acceptor = http1.acceptor({
    maxHeaderSize: maxHeaderListSize,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    onRequest: (req, res) => serveHttp(ctx, target(), req, res),
    onProtocolError: (code) => ctx.logger.debug({ code }, 'downstream protocol error'),
  });
  return {
    h2,
    http1: (socket: Socket) => {
      const connection = acceptor(socket);
      sets.connections.add(connection);
      socket.once('close', () => sets.connections.delete(connection));
    },
  };
}

import type { Http2Server } from 'node:http2';
import type { Server, Socket } from 'node:net';

/** The HTTP/2 client connection preface (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const MIN_SNIFF = 4;
/** A connection that sends nothing is closed like Node's headersTimeout would (60 s). */
const FIRST_BYTES_TIMEOUT_MS = 60_000;

function startsHttp2(chunk: Buffer): boolean {
  const n = Math.min(chunk.length, PREFACE.length);
  return n >= MIN_SNIFF && chunk.compare(PREFACE, 0, n, 0, n) === 0;
}

/** Where a sniffed connection goes: the h2c server, or the HTTP/1.1 codec. */
export interface Codecs {
  readonly h2: Http2Server;
  readonly http1: (socket: Socket) => void;
}

/** The connections still waiting for their first bytes (so a drain can close them), and the way in. */
export interface CodecSniffer {
  readonly waiting: ReadonlySet<Socket>;
  /**
   * A connection that skipped the claim (already inspected, or TLS terminated): the codec sniffing
   * proper, to the listener's codecs or to `codecs` (a chain pinned for the connection).
   */
  accept(socket: Socket, codecs?: Codecs): void;
}

/**
 * Envoy's `codec_type: AUTO` on one port: the first bytes of each connection pick HTTP/2 (h2c with
 * prior knowledge, what gRPC clients send) or HTTP/1.1. The chosen codec gets the socket with the
 * first chunk put back: HTTP/2 sessions read it themselves (the socket stays paused), the HTTP/1.1
 * connection (`onHttp1`) when the socket resumes.
 */
export function sniffCodec(
  server: Server,
  defaults: Codecs,
  /** Takes a connection away from the HTTP codecs (a captured TCP one, TLS to terminate); true = taken. */
  claim?: (socket: Socket) => boolean,
): CodecSniffer {
  const waiting = new Set<Socket>();
  const accept = (socket: Socket, codecs: Codecs = defaults): void => {
    socket.setNoDelay(true);
    waiting.add(socket);
    const silent = (): void => {
      socket.destroy();
    };
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, silent);
    socket.once('close', () => waiting.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      waiting.delete(socket);
      socket.setTimeout(0);
      socket.off('timeout', silent);
      socket.pause();
      socket.unshift(chunk);
      if (startsHttp2(chunk)) {
        codecs.h2.emit('connection', socket);
        return;
      }
      codecs.http1(socket);
      socket.resume();
    });
    socket.resume();
  };
  server.on('connection', (socket: Socket) => {
    if (claim?.(socket) !== true) accept(socket);
  });
  return { waiting, accept };
}

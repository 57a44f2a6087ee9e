import type { Server } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { Socket } from 'node:net';

/** The HTTP/2 client connection preface (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const MIN_SNIFF = 4;

function startsHttp2(chunk: Buffer): boolean {
  const n = Math.min(chunk.length, PREFACE.length);
  return n >= MIN_SNIFF && chunk.compare(PREFACE, 0, n, 0, n) === 0;
}

/**
 * Envoy's `codec_type: AUTO` on one port: the first bytes of each connection pick HTTP/2 (h2c with
 * prior knowledge, what gRPC clients send) or HTTP/1.1. The HTTP/1.1 server keeps listening and
 * tracking its connections as usual; its connection handler runs only after the sniff, with the
 * first chunk put back. HTTP/2 sessions read the put-back bytes themselves (the socket stays paused).
 */
export function sniffCodec(h1: Server, h2: Http2Server): void {
  const listeners = h1.listeners('connection') as ((socket: Socket) => void)[];
  h1.removeAllListeners('connection');
  h1.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      if (startsHttp2(chunk)) {
        h2.emit('connection', socket);
        return;
      }
      for (const l of listeners) l.call(h1, socket);
      socket.resume();
    });
  });
}

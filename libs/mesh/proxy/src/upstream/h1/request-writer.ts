import type { Duplex as Socket, Readable } from 'node:stream';
import type { UpstreamRequest } from '../upstream-pool';

/** The request line and header block; `chunked` adds the framing a streamed body without a length needs. */
export function requestHead(req: UpstreamRequest, chunked: boolean): string {
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  const headers = req.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      const v = headers[name];
      if (v === undefined) continue;
      if (typeof v === 'string') head += `${name}: ${v}\r\n`;
      else for (let i = 0; i < v.length; i++) head += `${name}: ${v[i]}\r\n`;
    }
  }
  if (chunked) head += 'transfer-encoding: chunked\r\n';
  return `${head}\r\n`;
}

function isBuffer(body: UpstreamRequest['body']): body is Buffer {
  return body !== null && Buffer.isBuffer(body);
}

/** Writes the request; a streamed body follows with backpressure. Returns a function that stops the stream. */
export function writeRequest(socket: Socket, req: UpstreamRequest): (() => void) | undefined {
  const body = req.body;
  if (body === null) {
    socket.write(requestHead(req, false), 'latin1');
    return undefined;
  }
  if (isBuffer(body)) {
    const needsLength = req.headers?.['content-length'] === undefined;
    const head = requestHead(needsLength ? { ...req, headers: { ...req.headers, 'content-length': String(body.length) } } : req, false);
    socket.cork();
    socket.write(head, 'latin1');
    if (body.length > 0) socket.write(body);
    socket.uncork();
    return undefined;
  }
  const chunked = req.headers?.['content-length'] === undefined;
  socket.write(requestHead(req, chunked), 'latin1');
  return streamBody(socket, body, chunked);
}

function streamBody(socket: Socket, body: Readable, chunked: boolean): () => void {
  const onData = (chunk: Buffer): void => {
    if (chunk.length === 0) return;
    const ok = chunked ? writeChunk(socket, chunk) : socket.write(chunk);
    if (!ok) {
      body.pause();
      socket.once('drain', onDrain);
    }
  };
  const onDrain = (): void => {
    body.resume();
  };
  const onEnd = (): void => {
    if (chunked && !socket.destroyed) socket.write('0\r\n\r\n', 'latin1');
  };
  body.on('data', onData);
  body.once('end', onEnd);
  return () => {
    body.off('data', onData);
    body.off('end', onEnd);
    socket.off('drain', onDrain);
  };
}

function writeChunk(socket: Socket, chunk: Buffer): boolean {
  socket.cork();
  socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
  socket.write(chunk);
  const ok = socket.write('\r\n', 'latin1');
  socket.uncork();
  return ok;
}

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from '@trellis/shared';

/** A line longer than this (bytes without a newline) closes the connection: memory stays bounded. */
export const MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * One connection as Istio's tcp-echo-server handles it: each line (up to and including `\n`) is answered
 * with `<prefix> <line>`; at the peer's end of stream the connection closes, and bytes after the last
 * newline are dropped (Go's `ReadBytes('\n')` returns them with io.EOF, and the server returns).
 */
export function echoLines(socket: Socket, prefix: string, logger: Logger, maxLineBytes = MAX_LINE_BYTES): void {
  const head = Buffer.from(`${prefix} `);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  socket.on('data', (chunk: Buffer) => {
    let start = 0;
    let flushed = true;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      const line = Buffer.concat([...pending, chunk.subarray(start, nl + 1)]);
      pending = [];
      pendingBytes = 0;
      logger.debug({ bytes: line.length }, 'request');
      flushed = socket.write(Buffer.concat([head, line]));
      start = nl + 1;
    }
    // A peer that sends without reading: stop reading until our answers drain (bounded memory).
    if (!flushed) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        logger.warn({ maxLineBytes, remote: socket.remoteAddress }, 'line too long, closing the connection');
        socket.destroy();
      }
    }
  });
  socket.on('error', (err) => logger.debug({ err: err.message, remote: socket.remoteAddress }, 'connection error'));
}

export interface EchoServers {
  /** Bound ports, in the order asked (an asked port 0 becomes the one the kernel chose). */
  readonly ports: readonly number[];
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** One listener per port, every connection served by echoLines; `host` defaults to all interfaces (Go's `:port`). */
export async function startEchoServers(options: {
  readonly ports: readonly number[];
  readonly prefix: string;
  readonly logger: Logger;
  readonly host?: string;
  readonly maxLineBytes?: number;
}): Promise<EchoServers> {
  const { prefix, logger } = options;
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  try {
    const ports: number[] = [];
    for (const port of options.ports) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        echoLines(socket, prefix, logger, options.maxLineBytes);
      });
      servers.push(server);
      const bound = await listen(server, port, options.host);
      logger.info({ port: bound, prefix }, 'listening');
      ports.push(bound);
    }
    return { ports, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A real HTTP server for tests: records every request (line + headers) and answers with a fixed
 * or computed response, or never answers (`'hang'`). Always listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** The request target as sent: origin-form `/x` or absolute-form `http://host/x`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface StubAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

export type StubBehaviour = StubAnswer | 'hang' | ((req: RecordedRequest) => StubAnswer | 'hang');

export interface StubServer {
  readonly port: number;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startStubServer(behaviour: StubBehaviour): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(recorded);
    const answer = typeof behaviour === 'function' ? behaviour(recorded) : behaviour;
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
    res.end(answer.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const stub = await startStubServer({ status: 200, body: '' });
  await stub.close();
  return stub.port;
}

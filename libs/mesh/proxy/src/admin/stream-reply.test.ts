import { type Server, createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { writeChunks } from './stream-reply';

/** Real sockets: a server streaming 16 MiB in 16 KiB chunks to a client that stops reading, then reads or leaves. */
const CHUNK = 'x'.repeat(16 * 1024);
const TOTAL = 1024;

describe('writeChunks', () => {
  let server: Server;
  let pulled = 0;
  let finished = false;
  let stopped: Promise<void>;

  beforeEach(async () => {
    pulled = 0;
    finished = false;
    let markStopped = (): void => undefined;
    stopped = new Promise((r) => (markStopped = r));
    function* body(): Generator<string> {
      try {
        for (let i = 0; i < TOTAL; i++) {
          pulled++;
          yield CHUNK;
        }
        finished = true;
      } finally {
        markStopped();
      }
    }
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      void writeChunks(res, body());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  function get(onSocket: (s: Socket) => void, read: boolean): Promise<number> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', () => resolve(-1));
        if (!read) res.pause();
      });
      req.on('socket', onSocket);
      req.on('error', () => resolve(-1));
      req.end();
    });
  }

  it('pulls the next chunk only when the socket drained: a paused client holds the render back', async () => {
    let socket: Socket | undefined;
    void get((s) => (socket = s), false);
    await new Promise((r) => setTimeout(r, 300));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(TOTAL / 2);
    expect(finished).toBe(false);
    socket?.destroy();
    await stopped;
    expect(finished).toBe(false);
  }, 10_000);

  it('writes every chunk to a reading client, with chunked encoding', async () => {
    const n = await get(() => undefined, true);
    expect(n).toBe(TOTAL * CHUNK.length);
    expect(finished).toBe(true);
  }, 10_000);
});

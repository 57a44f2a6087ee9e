import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpClient, parseJsonBody } from './http-client';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

interface TestServer {
  readonly port: number;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** A real HTTP server that records each request line and answers (or hangs when told to). */
async function startServer(answer: { status: number; body: string } | 'hang'): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('createHttpClient', () => {
  const servers: TestServer[] = [];
  const track = async (server: Promise<TestServer>): Promise<TestServer> => {
    const started = await server;
    servers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('returns status and body and sends the given headers directly', async () => {
    const upstream = await track(startServer({ status: 404, body: '{"a":1}' }));
    const client = createHttpClient();
    const outcome = await client.get(`http://127.0.0.1:${upstream.port}/x/1`, { headers: { 'end-user': 'jason' }, timeoutMs: 2000 });
    await client.close();
    expect(outcome).toEqual({ kind: 'response', status: 404, body: '{"a":1}' });
    expect(upstream.seen[0]?.url).toBe('/x/1');
    expect(upstream.seen[0]?.headers['end-user']).toBe('jason');
  });

  it('times out a hung server within the per-call budget', async () => {
    const upstream = await track(startServer('hang'));
    const client = createHttpClient();
    const started = Date.now();
    const outcome = await client.get(`http://127.0.0.1:${upstream.port}/`, { timeoutMs: 300 });
    await client.close();
    expect(outcome.kind === 'failure' && outcome.reason).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports connection errors as network failures', async () => {
    const gone = await startServer({ status: 200, body: '' });
    await gone.close();
    const client = createHttpClient();
    const outcome = await client.get(`http://127.0.0.1:${gone.port}/`, { timeoutMs: 2000 });
    await client.close();
    expect(outcome.kind === 'failure' && outcome.reason).toBe('network');
  });

  it('sends absolute-form requests to the proxy (no CONNECT) and bypasses it for NO_PROXY hosts', async () => {
    const proxy = await track(startServer({ status: 200, body: '{"via":"proxy"}' }));
    const direct = await track(startServer({ status: 200, body: '{"via":"direct"}' }));
    const client = createHttpClient({ httpProxy: `http://127.0.0.1:${proxy.port}`, noProxy: ['127.0.0.1'] });
    const proxied = await client.get('http://reviews:9080/reviews/0', { headers: { 'x-request-id': 'r1' }, timeoutMs: 2000 });
    const bypassed = await client.get(`http://127.0.0.1:${direct.port}/ratings/0`, { timeoutMs: 2000 });
    await client.close();

    expect(proxied).toEqual({ kind: 'response', status: 200, body: '{"via":"proxy"}' });
    expect(proxy.seen).toEqual([
      expect.objectContaining({ method: 'GET', url: 'http://reviews:9080/reviews/0' }),
    ]);
    expect(proxy.seen[0]?.headers.host).toBe('reviews:9080');
    expect(proxy.seen[0]?.headers['x-request-id']).toBe('r1');
    expect(bypassed).toEqual({ kind: 'response', status: 200, body: '{"via":"direct"}' });
    expect(direct.seen[0]?.url).toBe('/ratings/0');
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and yields undefined otherwise', () => {
    expect(parseJsonBody('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseJsonBody('<html>')).toBeUndefined();
  });
});

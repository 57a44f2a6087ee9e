import { type IncomingHttpHeaders, type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { Readable } from 'node:stream';
import { H1Pool } from './pool';
import type { PoolOptions, UpstreamController, UpstreamHandler, UpstreamRequest } from '../upstream-pool';

interface Result {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  error: (Error & { code?: string; syscall?: string }) | undefined;
  events: string[];
}

const OPTIONS: PoolOptions = { maxConnections: 0, connectTimeoutMs: 1000, idleTimeoutMs: 30_000, maxRequestsPerConnection: 0, maxHeaderBytes: 64 * 1024 };
const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** Dispatches and collects the callbacks; `onStart` sees the controller first. */
function send(pool: H1Pool, req: Partial<UpstreamRequest> = {}, hooks: { onData?: (c: UpstreamController) => void } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const r: Result = { status: 0, headers: {}, body: '', error: undefined, events: [] };
    const handler: UpstreamHandler = {
      onRequestStart: () => r.events.push('start'),
      onResponseStart: (_c, status, headers) => {
        r.events.push('head');
        r.status = status;
        r.headers = headers;
      },
      onResponseData: (c, chunk) => {
        r.body += chunk.toString();
        hooks.onData?.(c);
      },
      onResponseEnd: () => {
        r.events.push('end');
        resolve(r);
      },
      onResponseError: (_c, err) => {
        r.events.push('error');
        r.error = err;
        setTimeout(() => resolve(r), 20); // catch a late duplicate callback, if any
      },
    };
    pool.dispatch({ method: 'GET', path: '/', headers: { host: 'up' }, body: null, ...req }, handler);
  });
}

async function listen<T extends Server | HttpServer>(server: T): Promise<{ server: T; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
  });
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

function pool(port: number, o: Partial<PoolOptions> = {}): H1Pool {
  const p = new H1Pool('127.0.0.1', port, { ...OPTIONS, ...o });
  closers.push(() => p.destroy());
  return p;
}

const echo = (): HttpServer =>
  createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => res.end(`${req.method} ${req.url} ${req.headers['transfer-encoding'] ?? req.headers['content-length'] ?? '-'} ${body}`));
  });

describe('H1Pool', () => {
  it('reuses one keep-alive connection for sequential requests', async () => {
    const up = await listen(echo());
    const p = pool(up.port);
    const a = await send(p, { path: '/a' });
    const b = await send(p, { path: '/b?x=1' });
    expect([a.status, a.body, b.body]).toEqual([200, 'GET /a - ', 'GET /b?x=1 - ']);
    expect(a.events).toEqual(['start', 'head', 'end']);
    expect(up.sockets).toHaveLength(1);
    expect(p.connected).toBe(1);
  });

  it('queues beyond maxConnections and opens new ones after maxRequestsPerConnection', async () => {
    const up = await listen(echo());
    const one = pool(up.port, { maxConnections: 1 });
    const r = await Promise.all([send(one, { path: '/1' }), send(one, { path: '/2' }), send(one, { path: '/3' })]);
    expect(r.map((x) => x.body)).toEqual(['GET /1 - ', 'GET /2 - ', 'GET /3 - ']);
    expect(up.sockets).toHaveLength(1);
    const fresh = pool(up.port, { maxRequestsPerConnection: 1 });
    await send(fresh);
    await send(fresh);
    expect(up.sockets).toHaveLength(3);
  });

  it('sends buffered bodies with a length and streamed ones chunked', async () => {
    const up = await listen(echo());
    const p = pool(up.port);
    const buffered = await send(p, { method: 'POST', body: Buffer.from('abc') });
    expect(buffered.body).toBe('POST / 3 abc');
    const streamed = await send(p, { method: 'PUT', body: Readable.from([Buffer.from('x'.repeat(70_000)), Buffer.from('yz')]) });
    expect(streamed.body).toBe(`PUT / chunked ${'x'.repeat(70_000)}yz`);
  });

  it('fails a refused connect as a connect error', async () => {
    const up = await listen(echo());
    const port = up.port;
    await new Promise<void>((r) => up.server.close(() => r()));
    const p = pool(port);
    const r = await send(p);
    expect([r.events, r.error?.code, r.error?.syscall]).toEqual([['start', 'error'], 'ECONNREFUSED', 'connect']);
  });

  it('replaces an idle connection the server closed', async () => {
    const up = await listen(echo());
    const p = pool(up.port);
    await send(p);
    up.sockets[0]!.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(p.connected).toBe(0);
    expect((await send(p)).status).toBe(200);
    expect(up.sockets).toHaveLength(2);
  });

  it('reads close-delimited bodies and honours the keep-alive timeout hint', async () => {
    const raw = await listen(
      createServer((s) =>
        s.once('data', () => s.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil-close')),
      ),
    );
    expect((await send(pool(raw.port))).body).toBe('until-close');
    const hinted = await listen(createServer((s) => s.on('data', () => s.write('HTTP/1.1 204 No Content\r\nkeep-alive: timeout=1\r\n\r\n'))));
    const p = pool(hinted.port);
    expect((await send(p)).status).toBe(204);
    expect(p.connected).toBe(1);
    await new Promise((r) => setTimeout(r, 800)); // hint 1 s − 1 s margin → closed after 0.5 s
    expect(p.connected).toBe(0);
  });

  it('abort stops the request once: one error, no end, the connection is not reused', async () => {
    const up = await listen(createServer((s) => s.on('data', () => s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial'))));
    const p = pool(up.port);
    const r = await send(p, {}, { onData: (c) => c.abort(new Error('client went away')) });
    expect([r.events, r.error?.message, r.body]).toEqual([['start', 'head', 'error'], 'client went away', 'partial']);
    await new Promise((res) => setTimeout(res, 20));
    expect(p.connected).toBe(0);
  });

  it('a cut-short response fails as a reset, a malformed one as a protocol error', async () => {
    const cut = await listen(createServer((s) => s.on('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'))));
    expect((await send(pool(cut.port))).error?.message).toBe('upstream connection closed');
    const bad = await listen(createServer((s) => s.on('data', () => s.write('SPDY/3 200 OK\r\n\r\n'))));
    expect((await send(pool(bad.port))).error?.message).toMatch(/upstream protocol error/);
  });

  it('close() lets the request in flight finish; destroy() fails what is queued', async () => {
    const slow = await listen(createHttpServer((_req, res) => setTimeout(() => res.end('late'), 100)));
    const p = pool(slow.port, { maxConnections: 1 });
    const inFlight = send(p);
    const closed = p.close();
    expect((await inFlight).body).toBe('late');
    await closed;
    expect((await send(p)).error?.message).toBe('upstream pool closed');
    const q = pool(slow.port, { maxConnections: 1 });
    const first = send(q);
    const queued = send(q);
    q.destroy();
    expect([(await first).events, (await queued).error?.message]).toEqual([['start', 'error'], 'upstream pool destroyed']);
  });
});

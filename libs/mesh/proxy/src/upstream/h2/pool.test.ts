import type { IncomingHttpHeaders } from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { type PoolOptions, type UpstreamHandler, type UpstreamRequest, UpstreamError } from '../upstream-pool';
import { H2Pool } from './pool';

const OPTIONS: PoolOptions = { maxConnections: 0, connectTimeoutMs: 1000, idleTimeoutMs: 30_000, maxRequestsPerConnection: 0, maxHeaderBytes: 64 * 1024 };

interface Result {
  status: number;
  headers: IncomingHttpHeaders;
  trailers: IncomingHttpHeaders | undefined;
  body: string;
  error: Error | undefined;
}

function send(pool: H2Pool, req: Partial<UpstreamRequest> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const r: Result = { status: 0, headers: {}, trailers: undefined, body: '', error: undefined };
    const handler: UpstreamHandler = {
      onRequestStart: () => undefined,
      onResponseStart: (_c, status, headers) => Object.assign(r, { status, headers }),
      onResponseData: (_c, chunk) => {
        r.body += chunk.toString();
      },
      onResponseTrailers: (_c, trailers) => {
        r.trailers = trailers;
      },
      onResponseEnd: () => resolve(r),
      onResponseError: (_c, err) => resolve({ ...r, error: err }),
    };
    pool.dispatch({ method: 'POST', path: '/p', headers: { host: 'up:8080', te: 'trailers', connection: 'keep-alive' }, body: null, ...req }, handler);
  });
}

describe('H2Pool', () => {
  it('multiplexes requests on one session, maps host to :authority, streams bodies, passes trailers', async () => {
    let sessions = 0;
    const server = http2.createServer();
    server.on('session', () => sessions++);
    server.on('stream', (stream, headers) => {
      let n = 0;
      stream.on('data', (c: Buffer) => (n += c.length));
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'x-authority': String(headers[':authority']), 'x-te': String(headers['te']) }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(`got ${n}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = new H2Pool('127.0.0.1', (server.address() as AddressInfo).port, OPTIONS);
    try {
      const [a, b] = await Promise.all([send(pool, { body: Buffer.from('abc') }), send(pool, { body: Readable.from([Buffer.alloc(70_000), Buffer.alloc(5)]) })]);
      expect([a.status, a.body, a.headers['x-authority'], a.headers['x-te'], a.trailers]).toEqual([200, 'got 3', 'up:8080', 'trailers', { 'grpc-status': '0' }]);
      expect(b.body).toBe('got 70005');
      expect([sessions, pool.connected]).toEqual([1, 1]);
    } finally {
      pool.destroy();
      server.close();
    }
  });

  it('reports a refused connection as a failure before connect', async () => {
    const server = http2.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const pool = new H2Pool('127.0.0.1', port, OPTIONS);
    const r = await send(pool);
    expect(r.error).toBeInstanceOf(UpstreamError);
    expect([(r.error as UpstreamError).code, (r.error as UpstreamError).beforeConnect]).toEqual(['CONNECT_FAILED', true]);
    pool.destroy();
  });
});

import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import pino from 'pino';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from '../../testing/harness';

/**
 * The public fallback of the llhttp seam for real: a proxy started with `privateApis: false`
 * (TRELLIS_PRIVATE_APIS=off) hands its sniffed HTTP/1.1 sockets to a node:http Server, and requests
 * take the same path as on the proxy's own connection. (connection.test.ts runs the codec cases on both.)
 */

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function raw(port: number, bytes: string, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(bytes, 'latin1'));
    let out = '';
    sock.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (until?.test(out)) sock.destroy();
    });
    sock.on('close', () => resolve(out));
    sock.on('error', reject);
    sock.setTimeout(3000, () => sock.destroy());
  });
}

describe('proxy with private APIs off: HTTP/1.1 on node:http', () => {
  let u: Upstream;
  let p: TestProxy;
  let port: number;
  const logs: { http1?: string; reason?: string; msg: string }[] = [];

  beforeAll(async () => {
    u = await startUpstream('reviews', (req, res, name) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
        res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, length: body.length, sha: sha(body) }));
      });
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const c = edsCluster(svc('reviews'));
    p = await startProxy(
      {
        clusters: [c],
        endpoints: [assignment(c.name ?? '', [{ port: u.port }])],
        listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
        routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: c.name })])])],
      },
      { privateApis: false, logger },
    );
    port = p.port('0.0.0.0_9080');
  });
  afterAll(async () => {
    await p.proxy.close();
    await u.close();
  });

  it('logs the codec it chose, once, at start-up', () => {
    expect(logs.filter((l) => l.msg === 'downstream HTTP/1.1 codec chosen')).toEqual([
      expect.objectContaining({ http1: 'node-http', reason: 'private APIs disabled' }),
    ]);
  });

  it('routes requests to the upstream and back', async () => {
    const r = await send(port, { path: '/reviews/1', host: 'reviews:9080' });
    expect(r.status).toBe(200);
    expect(r.headers['x-upstream']).toBe('reviews');
    expect(r.json()).toMatchObject({ method: 'GET', url: '/reviews/1', host: 'reviews:9080', length: 0 });
    expect(r.headers['x-envoy-upstream-service-time']).toBeDefined();
  });

  it('streams a chunked 1 MB upload through unchanged', async () => {
    const body = Buffer.alloc(1024 * 1024, 7);
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', headers: { host: 'reviews:9080' }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(body.subarray(i * 262144, (i + 1) * 262144));
      req.end();
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ method: 'POST', length: body.length, sha: sha(body) });
  });

  it('serves pipelined requests in order on one keep-alive connection', async () => {
    const out = await raw(port, 'GET /a HTTP/1.1\r\nhost: reviews\r\n\r\nGET /b HTTP/1.1\r\nhost: reviews\r\n\r\n', /"url":"\/b"/);
    expect(out.match(/"url":"\/\w"/g)).toEqual(['"url":"/a"', '"url":"/b"']);
  });

  it('answers 431 to an oversized head and 400 to garbage (Envoy replies), and keeps serving', async () => {
    expect(await raw(port, `GET / HTTP/1.1\r\nhost: reviews\r\nx-big: ${'a'.repeat(70 * 1024)}\r\n\r\n`)).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
    );
    expect(await raw(port, 'GARBAGE\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    expect((await send(port)).status).toBe(200);
  });

  it('still speaks h2c on the same port (the sniffer picks the codec per connection)', async () => {
    const { connect: h2connect } = await import('node:http2');
    const session = h2connect(`http://127.0.0.1:${port}`);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const s = session.request({ ':path': '/h2', ':authority': 'reviews:9080' });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
        s.end();
      });
      expect(status).toBe(200);
    } finally {
      session.close();
    }
  });
});

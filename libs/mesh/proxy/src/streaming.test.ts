import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Cluster } from './config/envoy-types';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, sleep, startProxy, startUpstream } from './testing/harness';

/** Bodies through the proxy's own HTTP/1.1 upstream client: streamed both ways, framing kept right. */

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Streams its response in 3 pieces 150 ms apart; echoes a request body's length and hash. */
const streaming: Parameters<typeof startUpstream>[1] = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/upload') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`${req.headers['transfer-encoding'] ?? 'length'} ${sha(Buffer.concat(chunks))}`));
    return;
  }
  if (url.pathname === '/empty') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === '/close') {
    res.writeHead(200, { connection: 'close', 'content-length': 2 });
    res.end('ok');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-stream': 'yes' });
  let n = 0;
  const tick = (): void => {
    res.write(`part-${n}\n`);
    if (++n === 3) res.end();
    else setTimeout(tick, 150);
  };
  tick();
};

async function proxyTo(u: Upstream): Promise<TestProxy> {
  const cluster: Cluster = edsCluster(svc('reviews'));
  return startProxy({
    clusters: [cluster],
    endpoints: [assignment(cluster.name ?? '', [{ port: u.port }])],
    listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
    routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: cluster.name })])])],
  });
}

describe('streaming bodies', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  async function setup(): Promise<number> {
    const u = await startUpstream('reviews', streaming);
    const p = await proxyTo(u);
    closers.push(() => p.proxy.close(), () => u.close());
    return p.port('0.0.0.0_9080');
  }

  it('passes a chunked response on as it arrives, not when it ends', async () => {
    const port = await setup();
    const got = await new Promise<{ firstAfterMs: number; totalMs: number; body: string; te: string | undefined }>((resolve, reject) => {
      const t0 = Date.now();
      let firstAfterMs = -1;
      let body = '';
      request({ port, host: '127.0.0.1', path: '/stream', headers: { host: 'reviews' } }, (res) => {
        res.on('data', (c: Buffer) => {
          if (firstAfterMs < 0) firstAfterMs = Date.now() - t0;
          body += c.toString();
        });
        res.on('end', () => resolve({ firstAfterMs, totalMs: Date.now() - t0, body, te: res.headers['transfer-encoding'] }));
      })
        .on('error', reject)
        .end();
    });
    expect(got.body).toBe('part-0\npart-1\npart-2\n');
    expect(got.te).toBe('chunked');
    expect(got.totalMs).toBeGreaterThanOrEqual(290);
    expect(got.firstAfterMs).toBeLessThan(got.totalMs - 100); // the first piece came long before the upstream finished
  });

  it('streams a large request body without a length (chunked) and one with a length', async () => {
    const port = await setup();
    const big = Buffer.alloc(1024 * 1024 + 7, 'z');
    const chunked = await new Promise<string>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/upload', headers: { host: 'reviews' } }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve(b));
      }).on('error', reject);
      req.write(big.subarray(0, 500_000));
      setTimeout(() => req.end(big.subarray(500_000)), 50);
    });
    expect(chunked).toBe(`chunked ${sha(big)}`);
    const sized = await send(port, { method: 'PUT', path: '/upload', headers: { host: 'reviews' }, body: big.toString() });
    expect(sized.body).toBe(`length ${sha(big)}`);
  });

  it('keeps framing right for HEAD, 204 and upstreams that close after a response', async () => {
    const port = await setup();
    const head = await send(port, { method: 'HEAD', path: '/close', headers: { host: 'reviews' } });
    expect([head.status, head.headers['content-length'], head.body]).toEqual([200, '2', '']);
    expect((await send(port, { path: '/empty', headers: { host: 'reviews' } })).status).toBe(204);
    for (let i = 0; i < 3; i++) {
      const r = await send(port, { path: '/close', headers: { host: 'reviews' } });
      expect([r.status, r.body]).toEqual([200, 'ok']);
      await sleep(10);
    }
  });

  it('does not let a connection that never sends a byte hold up shutdown', async () => {
    const u = await startUpstream('reviews', streaming);
    const p = await proxyTo(u);
    closers.push(() => u.close());
    const silent = connect(p.port('0.0.0.0_9080'), '127.0.0.1');
    await new Promise((r) => silent.once('connect', r));
    const closed = new Promise((r) => silent.once('close', r));
    const t0 = Date.now();
    await p.proxy.close();
    await closed;
    expect(Date.now() - t0).toBeLessThan(900); // the drain (1 s here) did not wait for it
  });
});

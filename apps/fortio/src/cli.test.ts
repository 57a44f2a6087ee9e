import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { runCommand } from './cli';
import { server } from './server';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await runCommand(argv, { env, out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

describe('fortio load / curl / server', () => {
  let srv: http.Server;
  let port = 0;
  const seen: string[] = [];
  let n = 0;
  let refuseEvery = 7;
  beforeAll(async () => {
    srv = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      n += 1;
      // Every 7th call is refused as an overflowing sidecar would answer.
      if (refuseEvery > 0 && n % refuseEvery === 0) res.writeHead(503, { 'x-envoy-overloaded': 'true' }).end('overflow');
      else res.writeHead(200, { server: 'envoy' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    port = (srv.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => srv.close(() => r())));

  it('load -c 2 -qps 0 -n 20 prints fortio’s banner, percentiles and Code lines; warnings on stderr', async () => {
    n = 0;
    refuseEvery = 7;
    const url = `http://127.0.0.1:${port}/get`;
    const r = await run(['load', '-c', '2', '-qps', '0', '-n', '20', '-loglevel', 'Warning', url]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Fortio \\S+ running at 0 queries per second, \\d+->\\d+ procs, for 20 calls: ${url}\n`));
    expect(r.out).toContain('Starting at max qps with 2 thread(s) [gomax ');
    expect(r.out).toContain('for exactly 20 calls (10 per thread + 0)');
    expect(r.out).toMatch(/^# target 50% [0-9.e-]+$/m);
    expect(r.out).toMatch(/^# target 99\.9% [0-9.e-]+$/m);
    expect(r.out).toContain('Code 200 : 18 (90.0 %)\nCode 503 : 2 (10.0 %)\n');
    expect(r.out).toContain('Sockets used: 2 (for perfect keepalive, would be 2)');
    expect(r.out).toMatch(/^All done 20 calls \(plus 0 warmup\) [0-9.]+ ms avg, [0-9.]+ qps$/m);
    expect(r.err.match(/\[WRN\] http_client.go:\d+> Non ok http code, code=503, status="HTTP\/1.1 503"/g)).toHaveLength(2);
  });

  it('goes through $http_proxy in absolute form (local mode’s sidecar), and reports an unreachable target as Code -1', async () => {
    seen.length = 0;
    refuseEvery = 0;
    const r = await run(['load', '-c', '1', '-n', '2', '-qps', '0', 'http://httpbin:8000/get'], { http_proxy: `http://127.0.0.1:${port}` });
    expect(seen).toEqual(['http://httpbin:8000/get', 'http://httpbin:8000/get']);
    expect(r.out).toMatch(/Code 200 : 2 \(100\.0 %\)/);
    const dead = await run(['load', '-c', '1', '-n', '1', '-qps', '0', '-quiet', 'http://127.0.0.1:1/']);
    expect(dead.out).toContain('Code -1 : 1 (100.0 %)');
  });

  it('curl prints the head and body; exits 1 on a non-200', async () => {
    refuseEvery = 3;
    const r = await run(['curl', '-quiet', `http://127.0.0.1:${port}/get`]);
    expect(r.out).toMatch(/^HTTP\/1\.1 (200 OK\r\nserver: envoy|503 Service Unavailable)/);
    const codes = [r.code, ...(await Promise.all([0, 1, 2, 3, 4, 5, 6].map(async () => (await run(['curl', `http://127.0.0.1:${port}/x`])).code)))];
    expect(codes).toContain(1);
    expect(codes).toContain(0);
  });

  it('bad input: unknown flag, no URL, unknown command — fortio’s messages, exit 1', async () => {
    expect(await run(['load', '-bogus', 'http://x/'])).toMatchObject({ code: 1, err: 'flag provided but not defined: -bogus\n' });
    expect((await run(['load', '-c', '2'])).err).toContain('fortio load needs a url or destination');
    expect((await run(['grpcping'])).err).toContain('Error: unknown command grpcping');
  });

  it('server echoes on -http-port ip:port', async () => {
    const s = await server(['-http-port', '127.0.0.1:0', '-grpc-port', 'disabled'], new PassThrough());
    try {
      const r = await run(['curl', `http://127.0.0.1:${s.port}/echo?status=200`]);
      expect(r.code).toBe(0);
      expect((await run(['curl', `http://127.0.0.1:${s.port}/debug`])).out).toContain('echo debug server');
    } finally {
      await s.close();
    }
  });
});

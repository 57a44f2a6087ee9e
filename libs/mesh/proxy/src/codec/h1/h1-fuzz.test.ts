/**
 * HTTP/1.1 request fuzzing of the proxy's downstream codec, differential against Node's own http
 * server: the same bytes go (a) straight to a node:http server and (b) through the proxy to a
 * node:http upstream. Whatever the proxy forwards must be what Node parsed from the raw bytes, in
 * order (never a request hidden in a body — smuggling —, never an extra one), and the proxy must stay
 * up. A request without Host is a 400 on both sides (Envoy's missing_host_header; the reference answers
 * it 400 itself so that Node keeps parsing what follows, as the proxy does) and never reaches the
 * upstream. Seeded: FUZZ_SEED=<n> replays a run, FUZZ_ITERATIONS=<n> runs longer (default 120).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../testing/envoy-fixtures';
import { type TestProxy, send, startProxy } from '../../testing/harness';
import { fuzzCase, mulberry32, noHostCase } from '../../testing/h1-fuzz-cases';

const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ITERATIONS = Number(process.env['FUZZ_ITERATIONS'] ?? 120);
const PARALLEL = 24;

interface Parsed {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  /** Parsed without a Host field (origin-form target): must be a 400, never forwarded. */
  readonly noHost: boolean;
}

/** A node:http server that records every request it parsed, by the case id in its path. */
async function recordingServer(seen: Map<string, Parsed[]>): Promise<{ server: Server; port: number }> {
  // Node's own Host check (requireHostHeader) answers 400 and closes; this handler answers the same
  // 400 and keeps the connection, as the proxy's HCM does, so the framing of what follows is compared.
  const server = createServer({ maxHeaderSize: 60 * 1024, requireHostHeader: false }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const noHost = req.headers.host === undefined && url.startsWith('/');
      const parsed = { method: req.method ?? '', url, body: Buffer.concat(chunks).toString('latin1'), noHost };
      const id = /^\/c(\d+)\//.exec(parsed.url)?.[1] ?? 'other';
      seen.set(id, [...(seen.get(id) ?? []), parsed]);
      if (noHost) res.writeHead(400, { 'content-length': 0 }).end();
      else res.writeHead(200, { 'content-length': 2 }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Writes the bytes in the case's pieces, reads until the server closes or is idle for 500 ms. */
function exchange(port: number, pieces: readonly Buffer[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let idle: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(idle);
      clearTimeout(cap);
      socket.destroy();
      resolve(text);
    };
    const cap = setTimeout(done, 3000);
    const arm = (): void => {
      clearTimeout(idle);
      idle = setTimeout(done, 500);
    };
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      arm();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      for (const p of pieces) socket.write(p);
      arm();
    });
  });
}

describe(`HTTP/1.1 codec fuzz (seed ${SEED}, ${ITERATIONS} cases)`, () => {
  const direct = new Map<string, Parsed[]>();
  const proxied = new Map<string, Parsed[]>();
  let reference: { server: Server; port: number };
  let upstream: { server: Server; port: number };
  let p: TestProxy;

  beforeAll(async () => {
    reference = await recordingServer(direct);
    upstream = await recordingServer(proxied);
    const c = svc('fuzz');
    p = await startProxy({
      clusters: [edsCluster(c)],
      endpoints: [assignment(c, [{ port: upstream.port }])],
      listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
      routes: [routeConfig('9080', [vhost('fuzz', ['*'], [route({ prefix: '/' }, { cluster: c })])])],
    });
  });
  afterAll(async () => {
    await p.proxy.close();
    for (const s of [reference.server, upstream.server]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('never forwards what Node would not parse, never splits or merges requests, never dies', async () => {
    const random = mulberry32(SEED);
    const cases = [...Array.from({ length: ITERATIONS }, (_, i) => fuzzCase(i, random)), noHostCase(ITERATIONS, random)];
    const port = p.port('0.0.0.0_9080');
    const replies = new Map<number, readonly [string, string]>();
    for (let i = 0; i < cases.length; i += PARALLEL) {
      const batch = cases.slice(i, i + PARALLEL);
      await Promise.all(batch.map(async (k) => replies.set(k.id, await Promise.all([exchange(reference.port, k.pieces), exchange(port, k.pieces)]))));
    }
    await new Promise((r) => setTimeout(r, 200));
    const problems: string[] = [];
    let missingHost = 0;
    for (const k of cases) {
      const parsed = direct.get(String(k.id)) ?? [];
      // What the proxy may forward: Node's requests in order, minus those without Host (answered 400).
      const want = parsed.filter((x) => !x.noHost);
      const got = proxied.get(String(k.id)) ?? [];
      const prefix = got.every((g, j) => want[j] !== undefined && g.method === want[j]!.method && g.url === want[j]!.url && g.body === want[j]!.body);
      const bytes = JSON.stringify(Buffer.concat(k.pieces).toString('latin1').slice(0, 400));
      if (!prefix) problems.push(`case ${k.id} [${k.mutations.join(',')}]: Node parsed ${JSON.stringify(parsed)}, upstream got ${JSON.stringify(got)}; bytes ${bytes}`);
      if (parsed[0]?.noHost !== true) continue;
      missingHost++;
      const [fromNode, fromProxy] = replies.get(k.id) ?? ['', ''];
      const firstLines = [fromNode, fromProxy].map((t) => t.slice(0, t.indexOf('\r\n')));
      // The proxy answers the Host-less request 400 as Envoy does. Node may reject the whole stream first
      // (431 for a huge header in a later pipelined request), so Node's answer need only be a 4xx.
      const [nodeLine, proxyLine] = firstLines as [string, string];
      if (!/^HTTP\/1\.1 4\d\d /.test(nodeLine) || !proxyLine.startsWith('HTTP/1.1 400 ')) problems.push(`case ${k.id} [${k.mutations.join(',')}]: no Host, answered ${JSON.stringify(firstLines)}; bytes ${bytes}`);
    }
    const stray = proxied.get('other') ?? [];
    const known = new Set([...direct.values()].flat().filter((x) => !x.noHost).map((x) => `${x.method} ${x.url} ${x.body}`));
    for (const s of stray) if (!known.has(`${s.method} ${s.url} ${s.body}`)) problems.push(`upstream got a request no parser saw: ${JSON.stringify(s)}`);
    expect({ seed: SEED, problems }).toEqual({ seed: SEED, problems: [] });
    // The codec mostly forwarded (the fuzz is not all rejects) and the proxy still serves.
    const forwarded = [...proxied.values()].flat().length;
    expect(forwarded).toBeGreaterThan(ITERATIONS / 4);
    expect(missingHost).toBeGreaterThan(0);
    expect((await send(port, { path: '/c999999/alive' })).status).toBe(200);
  }, 60_000);
});

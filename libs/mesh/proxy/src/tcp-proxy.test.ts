import { createHash, randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import type { Cluster, Listener } from './config/envoy-types';
import { KNOWN_TYPES } from './config/proto';
import type { ProxyRuntime } from './runtime';
import { assignment, edsCluster, svc } from './testing/envoy-fixtures';
import { type TestProxy, deadPort, send, startProxy } from './testing/harness';
import { buildClientHello } from './listener/sniff.fixtures';

/** envoy.filters.network.tcp_proxy on a bound listener, over real sockets. */

interface TcpServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Echo with a name prefix; `half` servers answer only after the client's FIN (then FIN themselves). */
async function tcpServer(name: string, mode: 'echo' | 'half' | 'sink' = 'echo'): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    const got: Buffer[] = [];
    if (mode === 'echo') s.write(`${name}:`);
    s.on('data', (d: Buffer) => (mode === 'echo' ? s.write(d) : got.push(d)));
    s.on('end', () => (mode === 'half' ? s.end(`${name} got ${Buffer.concat(got).length} bytes`) : s.end()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function tcpListener(name: string, tcp: Record<string, unknown>): Listener {
  return {
    name,
    address: { socket_address: { address: '127.0.0.1', port_value: 31400 } },
    filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': KNOWN_TYPES.tcpProxy, stat_prefix: name, ...tcp } }] }],
  };
}

/**
 * Sends `data`, half-closes, resolves with everything read until the connection closes. A proxy that
 * gives up closes with unread bytes in its buffer, which the kernel turns into a reset (as Envoy's does).
 */
function exchange(port: number, data: Buffer | string, opts: { end?: boolean } = {}): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    s.on('error', () => undefined);
    s.on('end', () => s.end()); // the proxy finished: so do we (we are half-open, like the proxy)
    s.on('close', () => resolve(Buffer.concat(got)));
    s.write(data);
    if (opts.end !== false) s.end();
  });
}

const pinned = (dice: number[]): ProxyRuntime => ({ random: () => dice.shift() ?? 0.5, clock: { now: Date.now, monotonic: () => performance.now() } });

describe('tcp_proxy', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function proxy(listener: Listener, clusters: Cluster[], eps: Record<string, number[]>, runtime?: ProxyRuntime): Promise<TestProxy> {
    const p = await startProxy(
      { clusters, endpoints: Object.entries(eps).map(([c, ports]) => assignment(c, ports.map((port) => ({ port })))), listeners: [listener] },
      runtime ? { runtime } : {},
    );
    closers.push(() => p.proxy.close());
    return p;
  }

  async function stats(p: TestProxy): Promise<string> {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    return (await send(admin.port, { path: '/stats' })).body;
  }

  it('carries bytes both ways, passes a half-close on, and counts bytes per listener and cluster', async () => {
    const half = await tcpServer('db', 'half');
    closers.push(() => half.close());
    const c = svc('db', '', 3306);
    const p = await proxy(tcpListener('db', { cluster: c }), [edsCluster(c)], { [c]: [half.port] });
    const reply = await exchange(p.port('db'), 'x'.repeat(1000));
    expect(reply.toString()).toBe('db got 1000 bytes'); // the server answered after our FIN: the other way stayed open
    const s = await stats(p);
    expect(s).toContain('tcp.db.downstream_cx_total: 1\n');
    expect(s).toContain('tcp.db.downstream_cx_rx_bytes_total: 1000\n');
    expect(s).toContain('tcp.db.downstream_cx_tx_bytes_total: 17\n');
    expect(s).toContain(`cluster.${c}.upstream_cx_tx_bytes_total: 1000\n`);
    expect(s).toContain(`cluster.${c}.upstream_cx_rx_bytes_total: 17\n`);
  });

  it('moves 8 MB intact with backpressure', async () => {
    const echo = await tcpServer('e');
    closers.push(() => echo.close());
    const c = svc('echo', '', 9000);
    const p = await proxy(tcpListener('echo', { cluster: c }), [edsCluster(c)], { [c]: [echo.port] });
    const data = randomBytes(8 * 1024 * 1024);
    const reply = await exchange(p.port('echo'), data);
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(reply.subarray(2).length).toBe(data.length);
    expect(digest(reply.subarray(2))).toBe(digest(data));
  });

  it('closes both sides after idle_timeout and counts it', async () => {
    const sink = await tcpServer('s', 'sink');
    closers.push(() => sink.close());
    const c = svc('sink', '', 9001);
    const p = await proxy(tcpListener('idle', { cluster: c, idle_timeout: { nanos: 200e6 } }), [edsCluster(c)], { [c]: [sink.port] });
    const started = Date.now();
    await exchange(p.port('idle'), 'hello', { end: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await stats(p)).toContain('tcp.idle.idle_timeout: 1\n');
  });

  it('tries the next host on connect failure (max_connect_attempts) and closes the client when none connects', async () => {
    const echo = await tcpServer('alive');
    closers.push(() => echo.close());
    const dead = await deadPort();
    const c = svc('pair', '', 9002);
    const rr: Cluster = edsCluster(c, { lb_policy: 'ROUND_ROBIN' });
    const p = await proxy(tcpListener('pair', { cluster: c, max_connect_attempts: { value: 2 } }), [rr], { [c]: [dead, echo.port] });
    expect((await exchange(p.port('pair'), 'a')).toString()).toBe('alive:a');
    const single = svc('dead', '', 9003);
    const q = await proxy(tcpListener('dead', { cluster: single }), [edsCluster(single)], { [single]: [dead] });
    expect((await exchange(q.port('dead'), 'a')).length).toBe(0);
    expect(await stats(q)).toContain(`cluster.${single}.upstream_cx_connect_fail: 1\n`);
  });

  it('refuses connections past max_connections (upstream_cx_overflow); the admitted one keeps working', async () => {
    const echo = await tcpServer('e');
    closers.push(() => echo.close());
    const c = svc('limited', '', 9004);
    const limited = edsCluster(c, { circuit_breakers: { thresholds: [{ max_connections: { value: 1 } }] } });
    const p = await proxy(tcpListener('lim', { cluster: c }), [limited], { [c]: [echo.port] });
    const first = connect({ host: '127.0.0.1', port: p.port('lim') });
    closers.push(async () => void first.destroy());
    await new Promise((r) => first.once('data', r)); // connected through: the echo greeted
    expect((await exchange(p.port('lim'), 'b')).length).toBe(0);
    expect(await stats(p)).toContain(`cluster.${c}.upstream_cx_overflow: 1\n`);
    const echoed = new Promise<string>((r) => first.once('data', (d: Buffer) => r(d.toString())));
    first.write('still');
    expect(await echoed).toBe('still');
  });

  it('splits connections over weighted_clusters with the injected dice', async () => {
    const [a, b] = [await tcpServer('a'), await tcpServer('b')];
    closers.push(() => a.close(), () => b.close());
    const [ca, cb] = [svc('tcp-echo', 'v1', 9000), svc('tcp-echo', 'v2', 9000)];
    const weighted = { weighted_clusters: { clusters: [{ name: ca, weight: 80 }, { name: cb, weight: 20 }] } };
    const p = await proxy(tcpListener('w', weighted), [edsCluster(ca), edsCluster(cb)], { [ca]: [a.port], [cb]: [b.port] }, pinned([0.79, 0.8]));
    expect((await exchange(p.port('w'), '1')).toString()).toBe('a:1');
    expect((await exchange(p.port('w'), '2')).toString()).toBe('b:2');
  });

  it('picks the chain by the ClientHello SNI (server_names: exact, then wildcard, then none) and passes the hello on untouched', async () => {
    const seen: Record<string, Buffer> = {};
    const backend = async (name: string): Promise<TcpServer> => {
      const srv = await tcpServer(name, 'half');
      srv.server.on('connection', (sock: Socket) => sock.once('data', (d: Buffer) => (seen[name] = d)));
      return srv;
    };
    const [exact, wild, other] = [await backend('exact'), await backend('wild'), await backend('other')];
    closers.push(() => exact.close(), () => wild.close(), () => other.close());
    const chain = (name: string, serverNames: string[] | undefined): NonNullable<Listener['filter_chains']>[number] => ({
      ...(serverNames ? { filter_chain_match: { server_names: serverNames } } : {}),
      filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': KNOWN_TYPES.tcpProxy, stat_prefix: name, cluster: name } }],
    });
    const listener: Listener = {
      name: 'sni',
      address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector' } }],
      filter_chains: [chain('exact', ['nginx.example.com']), chain('wild', ['*.example.com']), chain('other', undefined)],
    };
    const p = await proxy(listener, ['exact', 'wild', 'other'].map((n) => edsCluster(n)), { exact: [exact.port], wild: [wild.port], other: [other.port] });
    const hello = (sni?: string): Buffer => buildClientHello(sni === undefined ? {} : { sni });
    const via = async (h: Buffer): Promise<string> => (await exchange(p.port('sni'), h)).toString().split(' ')[0] ?? '';
    expect(await via(hello('nginx.example.com'))).toBe('exact');
    expect(await via(hello('API.Example.com'))).toBe('wild');
    expect(await via(hello('example.com'))).toBe('other');
    expect(await via(hello())).toBe('other');
    expect(await via(Buffer.from('plain bytes, not TLS'))).toBe('other');
    expect(seen['exact']?.equals(hello('nginx.example.com'))).toBe(true);
  });

  it('NACKs a tcp_proxy without stat_prefix or cluster, naming the listener', async () => {
    const p = await proxy(tcpListener('ok', { cluster: 'c' }), [edsCluster('c')], {});
    expect(() => p.proxy.apply('LDS', [tcpListener('x', { stat_prefix: '', cluster: 'c' })])).toThrow(/listener x .*tcp_proxy stat_prefix is required/);
    expect(() => p.proxy.apply('LDS', [tcpListener('y', {})])).toThrow(/listener y .*tcp_proxy needs cluster or weighted_clusters/);
  });
});

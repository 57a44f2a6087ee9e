import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import type { Listener } from './config/envoy-types';
import { KNOWN_TYPES } from './config/proto';
import { buildClientHello } from './listener/sniff.fixtures';
import { assignment, edsCluster } from './testing/envoy-fixtures';
import { type TestProxy, send, startProxy } from './testing/harness';

/*
 * L4 bad input (issue: garbage first bytes, a ClientHello with no SNI, a peer that never sends, a
 * half-open peer, an oversized hello): each ends in bounded time with a counter saying what happened,
 * the proxy keeps serving, and a well-behaved connection running alongside is untouched.
 */

const TLS_INSPECTOR = { name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector' } };
const chain = (cluster: string, serverNames?: string[]): NonNullable<Listener['filter_chains']>[number] => ({
  ...(serverNames ? { filter_chain_match: { server_names: serverNames } } : {}),
  filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': KNOWN_TYPES.tcpProxy, stat_prefix: cluster, cluster } }],
});

/** An SNI listener: `good.example.com` to one backend; with `fallthrough`, anything else to another. */
const sniListener = (fallthrough: boolean, extra: Partial<Listener> = {}): Listener => ({
  name: 'sni',
  address: { socket_address: { address: '0.0.0.0', port_value: 443 } },
  listener_filters: [TLS_INSPECTOR],
  listener_filters_timeout: { seconds: 0, nanos: 300_000_000 },
  filter_chains: [chain('good', ['good.example.com']), ...(fallthrough ? [chain('fallthrough')] : [])],
  ...extra,
});

/** Writes, then resolves with what came back and how the connection ended (never hangs past `ms`). */
function probe(port: number, data: Buffer | undefined, opts: { end?: boolean; ms?: number } = {}): Promise<{ got: string; ms: number; how: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const s: Socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let got = '';
    let how = 'closed';
    const timer = setTimeout(() => {
      how = 'still open';
      s.destroy();
    }, opts.ms ?? 3000);
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', (e: NodeJS.ErrnoException) => (how = e.code ?? 'error'));
    s.on('end', () => s.end());
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ got, ms: Date.now() - started, how });
    });
    if (data !== undefined) s.write(data);
    if (opts.end === true) s.end();
  });
}

describe('L4 bad input on an SNI listener (tls_inspector)', () => {
  const servers: Server[] = [];
  let p: TestProxy | undefined;
  afterEach(async () => {
    await p?.proxy.close();
    for (const s of servers.splice(0)) s.close();
  });

  /** Backends that greet with their name, then echo. */
  async function backend(name: string): Promise<number> {
    const server = createServer((s) => {
      s.write(`${name}:`);
      s.pipe(s);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  async function start(listener: Listener): Promise<TestProxy> {
    const [good, fall] = [await backend('good'), await backend('fallthrough')];
    p = await startProxy({
      clusters: [edsCluster('good'), edsCluster('fallthrough')],
      endpoints: [assignment('good', [{ port: good }]), assignment('fallthrough', [{ port: fall }])],
      listeners: [listener],
    });
    return p;
  }

  async function stats(tp: TestProxy): Promise<string> {
    const admin = await tp.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    return (await send(admin.port, { path: '/stats' })).body;
  }

  it('garbage first bytes (fuzzed): tls_not_found, the fallthrough chain gets the bytes untouched; without one, reset', async () => {
    const tp = await start(sniListener(true));
    const garbage = Buffer.concat([Buffer.from([0x17, 0x03, 0x01]), randomBytes(200)]);
    const r = await probe(tp.port('sni'), garbage, { ms: 1000 });
    expect(r.got.startsWith('fallthrough:')).toBe(true);
    expect(r.got.slice('fallthrough:'.length)).toBe(garbage.toString('latin1'));
    expect(await stats(tp)).toContain('tls_inspector.tls_not_found: 1\n');
    await tp.proxy.apply('LDS', [sniListener(false)]);
    const closed = await probe(tp.port('sni'), randomBytes(64), { ms: 2000 });
    expect({ got: closed.got, how: closed.how }).toEqual({ got: '', how: 'ECONNRESET' }); // reset, as Envoy's close with bytes unread
  });

  it('a ClientHello without SNI takes the chain without names (sni_not_found), or is closed when there is none', async () => {
    const tp = await start(sniListener(true));
    expect((await probe(tp.port('sni'), buildClientHello({}), { ms: 1000 })).got.startsWith('fallthrough:')).toBe(true);
    expect(await stats(tp)).toContain('tls_inspector.sni_not_found: 1\n');
    await tp.proxy.apply('LDS', [sniListener(false)]);
    expect((await probe(tp.port('sni'), buildClientHello({}), { ms: 2000 })).got).toBe('');
  });

  it('a peer that never sends is closed at listener_filters_timeout (downstream_pre_cx_timeout) while a good connection is served', async () => {
    const tp = await start(sniListener(true));
    const silent = probe(tp.port('sni'), undefined, { ms: 3000 });
    const good = await probe(tp.port('sni'), buildClientHello({ sni: 'good.example.com' }), { ms: 1000 });
    expect(good.got.startsWith('good:')).toBe(true);
    const r = await silent;
    expect(r.how).toBe('closed');
    expect(r.ms).toBeGreaterThanOrEqual(250);
    expect(r.ms).toBeLessThan(2000);
    expect(await stats(tp)).toContain('listener.sni.downstream_pre_cx_timeout: 1\n');
  });

  it('with continue_on_listener_filters_timeout a server-first peer goes on to the fallthrough chain', async () => {
    const tp = await start(sniListener(true, { continue_on_listener_filters_timeout: true }));
    const r = await probe(tp.port('sni'), undefined, { ms: 1500 });
    expect(r.got).toBe('fallthrough:');
  });

  it('a half-open peer (FIN before any byte) and an oversized ClientHello are closed at once; the proxy still serves', async () => {
    const tp = await start(sniListener(true));
    const half = await probe(tp.port('sni'), undefined, { end: true, ms: 2000 });
    expect({ how: half.how, fast: half.ms < 1000 }).toEqual({ how: 'closed', fast: true });
    // A handshake record that claims 70 KiB (over Envoy's 64 KiB max_client_hello_size).
    const header = Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x01, 0x18, 0x00]);
    const big = Buffer.concat([header, randomBytes(0x4000 - 4), Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00]), randomBytes(0x4000), Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00]), randomBytes(0x4000), Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00]), randomBytes(0x4000), Buffer.from([0x16, 0x03, 0x01, 0x30, 0x00]), randomBytes(0x3000)]);
    const r = await probe(tp.port('sni'), big, { ms: 2000 });
    expect(r.got).toBe('');
    expect(await stats(tp)).toContain('tls_inspector.client_hello_too_large: 1\n');
    expect((await probe(tp.port('sni'), buildClientHello({ sni: 'good.example.com' }), { ms: 1000 })).got.startsWith('good:')).toBe(true);
  });
});

import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import type { NetworkRbac, Permission, Principal, RbacRules } from '@trellis/mesh-envoy';
import { TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import type { FilterChain, Listener } from '../config/envoy-types';
import { KNOWN_TYPES } from '../config/proto';
import { assignment, edsCluster, svc } from '../testing/envoy-fixtures';
import { type TestProxy, send, startProxy } from '../testing/harness';

/** envoy.filters.network.rbac on a bound tcp_proxy listener: denied connections closed before any upstream connect. */

const ECHO = svc('echo', '', 9000);
const anyPort: Permission = { any: true };
const fromCidr = (prefix: string, len: number): Principal => ({ direct_remote_ip: { address_prefix: prefix, prefix_len: { value: len } } });

function netRbac(config: Omit<NetworkRbac, '@type'>): { name: string; typed_config: object } {
  return { name: 'envoy.filters.network.rbac', typed_config: { '@type': KNOWN_TYPES.networkRbac, ...config } };
}
const tcpProxy = { name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: ECHO, cluster: ECHO } };

function tcpListener(filters: object[]): Listener {
  const chain = { filters } as FilterChain;
  return { name: '127.0.0.1_9000', address: { socket_address: { address: '127.0.0.1', port_value: 9000 } }, filter_chains: [chain] };
}

/** What came back for `text` (half-closed after writing), and whether the connection ended in an error (reset). */
function roundTrip(port: number, text: string): Promise<{ data: string; reset: boolean }> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let reset = false;
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => s.end());
    s.on('error', () => (reset = true));
    s.on('close', () => resolve({ data: Buffer.concat(chunks).toString(), reset }));
    s.write(text, () => setTimeout(() => s.end(), 20));
  });
}

describe('envoy.filters.network.rbac', () => {
  let echo: Server;
  let echoPort = 0;
  let accepted = 0;
  const proxies: TestProxy[] = [];
  beforeAll(async () => {
    echo = createServer({ allowHalfOpen: true }, (s: Socket) => {
      accepted++;
      s.on('data', (d: Buffer) => s.write(d));
      s.on('end', () => s.end());
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.proxy.close();
  });
  afterAll(() => new Promise((r) => echo.close(r)));

  async function proxyWith(filters: object[]): Promise<TestProxy> {
    const p = await startProxy({ clusters: [edsCluster(ECHO)], endpoints: [assignment(ECHO, [{ port: echoPort }])], listeners: [tcpListener(filters)] });
    proxies.push(p);
    return p;
  }

  async function stats(p: TestProxy): Promise<string> {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    return (await send(admin.port, { path: '/stats' })).body;
  }

  it('closes a denied connection before connecting upstream, lets an allowed one through, counts tcp.rbac.*', async () => {
    const deny: RbacRules = { action: 'DENY', policies: { 'ns[default]-policy[no-loopback]-rule[0]': { permissions: [anyPort], principals: [fromCidr('127.0.0.0', 8)] } } };
    let p = await proxyWith([netRbac({ stat_prefix: 'tcp.', rules: deny }), tcpProxy]);
    const before = accepted;
    const denied = await roundTrip(p.port('127.0.0.1_9000'), 'hello');
    expect(denied.data).toBe('');
    expect(accepted).toBe(before); // no upstream connection was made
    expect(await stats(p)).toContain('tcp.rbac.denied: 1\n');

    const allow: RbacRules = { action: 'ALLOW', policies: { loopback: { permissions: [{ destination_port: 9000 }, anyPort], principals: [fromCidr('127.0.0.0', 8)] } } };
    p = await proxyWith([netRbac({ stat_prefix: 'tcp.', rules: allow }), tcpProxy]);
    expect((await roundTrip(p.port('127.0.0.1_9000'), 'hello')).data).toBe('hello');
    expect(accepted).toBe(before + 1);
    const text = await stats(p);
    expect(text).toContain('tcp.rbac.allowed: 1\n');
  });

  it('ALLOW with no matching policy denies; header matchers never match a TCP connection', async () => {
    const httpOnly: RbacRules = { policies: { get: { permissions: [{ header: { name: ':method', exact_match: 'GET' } }], principals: [{ any: true }] } } };
    const p = await proxyWith([netRbac({ stat_prefix: 'tcp.', rules: httpOnly }), tcpProxy]);
    expect((await roundTrip(p.port('127.0.0.1_9000'), 'GET / HTTP/1.1\r\n\r\n')).data).toBe('');
  });

  it('shadow rules only count', async () => {
    const deny: RbacRules = { action: 'DENY', policies: { all: { permissions: [anyPort], principals: [{ any: true }] } } };
    const p = await proxyWith([netRbac({ stat_prefix: 'tcp.', shadow_rules: deny, shadow_rules_stat_prefix: 'istio_dry_run_deny_' }), tcpProxy]);
    expect((await roundTrip(p.port('127.0.0.1_9000'), 'x')).data).toBe('x');
    const text = await stats(p);
    expect(text).toContain('tcp.rbac.istio_dry_run_deny_shadow_denied: 1\n');
    expect(text).not.toContain('tcp.rbac.denied: 1');
  });

  it('NACKs a network RBAC without stat_prefix, after tcp_proxy, or with a bad policy; the previous listener keeps serving', async () => {
    const p = await proxyWith([netRbac({ stat_prefix: 'tcp.' }), tcpProxy]);
    const apply = (filters: object[]): Promise<void> => p.proxy.apply('LDS', [tcpListener(filters)]);
    expect(() => apply([netRbac({}), tcpProxy])).toThrow(
      'listener 127.0.0.1_9000 filter chain 0 network filter envoy.filters.network.rbac: RBACValidationError.StatPrefix: value length must be at least 1 runes',
    );
    expect(() => apply([tcpProxy, netRbac({ stat_prefix: 'tcp.' })])).toThrow('network filter envoy.filters.network.rbac after the terminal filter');
    const bad: RbacRules = { policies: { p: { permissions: [{ destination_ip: { address_prefix: 'not-an-ip', prefix_len: { value: 8 } } }], principals: [{ any: true }] } } };
    expect(() => apply([netRbac({ stat_prefix: 'tcp.', rules: bad }), tcpProxy])).toThrow('rules: policy "p": CIDR address_prefix "not-an-ip" is not an IP address');
    expect((await roundTrip(p.port('127.0.0.1_9000'), 'still')).data).toBe('still');
  });
});

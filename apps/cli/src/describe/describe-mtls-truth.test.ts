import type { PeerAuthentication, WorkloadInstance } from '@trellis/mesh-api';
import type { DumpListener } from '../proxy-config/envoy-access';
import { listenersOfAdminDump, observedMtls } from './observed-mtls';
import { peerAuthenticationLines } from './peer-authentication-lines';

/** Inbound chains in istiod's shapes (libs/mesh/translate inbound-mtls.test.ts): `tls` chains terminate mTLS. */
const TLS = { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', require_client_certificate: { value: true } };
const mtlsChain = (port?: number) => ({ filter_chain_match: { ...(port ? { destination_port: { value: port } } : {}), transport_protocol: 'tls' }, transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: TLS } });
const plainChain = (port?: number, protocol: string | undefined = 'raw_buffer') => ({ filter_chain_match: { ...(port ? { destination_port: { value: port } } : {}), ...(protocol ? { transport_protocol: protocol } : {}) } });
const oneWayTls = () => ({ filter_chain_match: { transport_protocol: 'tls' } });

const virtualInbound = (...chains: object[]): DumpListener => ({ name: 'virtualInbound', traffic_direction: 'INBOUND', filter_chains: chains } as DumpListener);
const bound = (port: number, ...chains: object[]): DumpListener => ({ name: `10.0.0.14_${port}`, traffic_direction: 'INBOUND', address: { socket_address: { address: '10.0.0.14', port_value: port } }, filter_chains: chains } as DumpListener);
const outbound: DumpListener = { name: 'virtualOutbound', traffic_direction: 'OUTBOUND', filter_chains: [plainChain()] } as DumpListener;

const POD: WorkloadInstance = { name: 'reviews-v1-abc', namespace: 'default', address: '10.0.0.14', labels: { app: 'reviews', version: 'v1' }, serviceAccount: 'bookinfo-reviews', sidecar: true, ready: true };
const pa = (name: string, namespace: string, spec: PeerAuthentication['spec']): PeerAuthentication => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec });
const lines = (policies: PeerAuthentication[], listeners: DumpListener[]) => peerAuthenticationLines(POD, policies, observedMtls(listeners));

describe('x describe pod: the mTLS mode the proxy enforces', () => {
  it('mTLS on, PERMISSIVE (no policy): TLS and plaintext chains on every port and the passthrough', () => {
    const l = virtualInbound(mtlsChain(9080), plainChain(9080), mtlsChain(), plainChain(), oneWayTls());
    expect(lines([], [l, outbound])).toEqual(['Effective PeerAuthentication:', '   Workload mTLS mode: PERMISSIVE']);
  });

  it('mTLS on, STRICT by namespace: only mTLS chains', () => {
    const l = virtualInbound(mtlsChain(9080), mtlsChain());
    expect(lines([pa('default', 'default', { mtls: { mode: 'STRICT' } })], [l])).toEqual([
      'Applied PeerAuthentication:', '   default.default', 'Effective PeerAuthentication:', '   Workload mTLS mode: STRICT',
    ]);
  });

  it('mTLS on, STRICT by workload with 9080 PERMISSIVE: the port level line comes from the chains', () => {
    const policy = pa('reviews', 'default', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '9080': { mode: 'PERMISSIVE' } } });
    const l = virtualInbound(mtlsChain(9080), plainChain(9080), mtlsChain());
    expect(lines([policy], [l])).toEqual([
      'Applied PeerAuthentication:', '   reviews.default', 'Effective PeerAuthentication:', '   Workload mTLS mode: STRICT', '   Port Level mTLS mode:', '      9080: PERMISSIVE',
    ]);
  });

  it('local mode (bound <podIP>_<port> listeners): STRICT from the one TLS chain', () => {
    expect(lines([pa('default', 'istio-system', { mtls: { mode: 'STRICT' } })], [bound(9080, mtlsChain())]).slice(-1)).toEqual(['   Workload mTLS mode: STRICT']);
  });

  it('local mode, workload STRICT with portLevelMtls 8080 DISABLE (authn-policy): istioctl\'s lines, no note — the one port is plaintext as the policy says', () => {
    const policy = pa('httpbin', 'default', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } });
    expect(lines([policy], [bound(8080, plainChain())])).toEqual([
      'Applied PeerAuthentication:', '   httpbin.default', 'Effective PeerAuthentication:', '   Workload mTLS mode: STRICT', '   Port Level mTLS mode:', '      8080: DISABLE',
    ]);
  });

  it('mTLS off in the control plane: a STRICT policy is reported as DISABLE, with the reason — never STRICT', () => {
    const l = virtualInbound(plainChain(9080, undefined), plainChain(undefined, undefined));
    const out = lines([pa('default', 'istio-system', { mtls: { mode: 'STRICT' } })], [l]);
    expect(out.slice(0, 4)).toEqual(['Applied PeerAuthentication:', '   default.istio-system', 'Effective PeerAuthentication:', '   Workload mTLS mode: DISABLE']);
    expect(out[4]).toMatch(/^ {3}NOTE: PeerAuthentication resolves to STRICT, but this proxy has no mTLS filter chain: the control plane emits no mTLS/);
    expect(out.join('\n')).not.toMatch(/mode: STRICT/);
  });

  it('mTLS off and no policy: DISABLE, noting that the default PERMISSIVE is not in force', () => {
    const out = lines([], [bound(9080, plainChain(undefined, undefined))]);
    expect(out.slice(0, 2)).toEqual(['Effective PeerAuthentication:', '   Workload mTLS mode: DISABLE']);
    expect(out[2]).toContain('resolves to PERMISSIVE, but this proxy has no mTLS filter chain');
  });

  it('a proxy that cannot be read: the stored config with a note saying so', () => {
    expect(peerAuthenticationLines(POD, [], { unavailable: 'proxy reviews-v1-abc.default is not connected' })).toEqual([
      'Effective PeerAuthentication:', '   Workload mTLS mode: PERMISSIVE', "   NOTE: computed from the stored config only; the proxy's listeners could not be read (proxy reviews-v1-abc.default is not connected)",
    ]);
  });

  it('reads the listeners of an Envoy admin /config_dump', () => {
    const listener = virtualInbound(mtlsChain());
    const dump = { configs: [{ '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump' }, { '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', dynamic_listeners: [{ name: 'virtualInbound', active_state: { listener } }] }] };
    expect(listenersOfAdminDump(dump)).toEqual([listener]);
    expect(listenersOfAdminDump({})).toEqual([]);
  });
});

import type { MeshService, MeshSnapshot, PeerAuthentication } from '@trellis/mesh-api';
import { translate, type FilterChain, type Listener } from './index';
import { bookinfoSnapshot, NS, sidecarProxy } from './testing/bookinfo';

const MTLS = { mtls: true } as const;
const SDS = {
  api_config_source: { api_type: 'GRPC', set_node_on_first_message_only: true, transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'sds-grpc' } }] },
  initial_fetch_timeout: { seconds: 0, nanos: 0 },
  resource_api_version: 'V3',
};
const CIPHERS = ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256'];
const downstream = (alpn: string[]) => ({
  name: 'envoy.transport_sockets.tls',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
    common_tls_context: {
      tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3', cipher_suites: CIPHERS },
      alpn_protocols: alpn,
      tls_certificate_sds_secret_configs: [{ name: 'default', sds_config: SDS }],
      combined_validation_context: { default_validation_context: {}, validation_context_sds_secret_config: { name: 'ROOTCA', sds_config: SDS } },
    },
    require_client_certificate: { value: true },
  },
});
const ISTIO_ALPNS = ['istio', 'istio-peer-exchange', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2'];

const pa = (name: string, spec: PeerAuthentication['spec'], ns = NS): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec,
});
const mesh = (mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE'): PeerAuthentication => pa('default', { mtls: { mode } }, 'istio-system');

function inbound(snapshot: MeshSnapshot, deployment = 'reviews-v1', extra = {}): Listener {
  const r = translate(snapshot, sidecarProxy(deployment, extra), MTLS);
  const l = r.listeners.find((x) => x.traffic_direction === 'INBOUND');
  if (!l) throw new Error('no inbound listener');
  return l;
}
/** [name, destination_port, transport_protocol, application_protocols, terminates TLS] per chain. */
const shape = (chains: readonly FilterChain[] = []) =>
  chains.map((c) => [c.name, c.filter_chain_match?.destination_port?.value, c.filter_chain_match?.transport_protocol, c.filter_chain_match?.application_protocols, c.transport_socket !== undefined]);
const hcmOf = (c: FilterChain | undefined) => c?.filters?.[0]?.typed_config as Record<string, unknown> | undefined;

describe('inbound chains per PeerAuthentication (virtualInbound, HTTP port 9080)', () => {
  it('PERMISSIVE (the default): an mTLS chain on Istio ALPNs and a raw_buffer chain; tls_inspector', () => {
    const l = inbound(bookinfoSnapshot());
    expect(shape(l.filter_chains).slice(0, 2)).toEqual([
      ['0.0.0.0_9080', 9080, 'tls', ISTIO_ALPNS, true],
      ['0.0.0.0_9080', 9080, 'raw_buffer', undefined, false],
    ]);
    expect(l.filter_chains?.[0]?.transport_socket).toEqual(downstream(['h2', 'http/1.1']));
    expect(l.listener_filters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
  });

  it('the inbound HCM appends the client certificate to XFCC, as Istio', () => {
    const l = inbound(bookinfoSnapshot());
    for (const c of l.filter_chains?.slice(0, 2) ?? []) {
      expect(hcmOf(c)).toMatchObject({ forward_client_cert_details: 'APPEND_FORWARD', set_current_client_cert_details: { subject: { value: true }, dns: true, uri: true } });
    }
  });

  it('PERMISSIVE passthrough: HTTP and TCP over mTLS, plaintext, and one-way TLS passed on', () => {
    const l = inbound(bookinfoSnapshot());
    expect(shape(l.filter_chains).slice(2)).toEqual([
      ['InboundPassthroughCluster', undefined, 'tls', ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'], true],
      ['InboundPassthroughCluster', undefined, 'raw_buffer', ['http/1.1', 'h2c'], false],
      ['virtualInbound-catchall-tcp', undefined, 'tls', ['istio-peer-exchange', 'istio'], true],
      ['virtualInbound-catchall-tcp', undefined, 'raw_buffer', undefined, false],
      ['virtualInbound-catchall-tcp', undefined, 'tls', undefined, false],
    ]);
    expect(l.filter_chains?.[4]?.transport_socket).toEqual(downstream(['istio-peer-exchange', 'h2', 'http/1.1']));
  });

  it('STRICT (mesh-wide): only TLS chains, no ALPN on the declared HTTP port, passthrough requires TLS too', () => {
    const l = inbound(bookinfoSnapshot({ peerAuthentications: [mesh('STRICT')] }));
    expect(shape(l.filter_chains)).toEqual([
      ['0.0.0.0_9080', 9080, 'tls', undefined, true],
      ['InboundPassthroughCluster', undefined, 'tls', ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'], true],
      ['virtualInbound-catchall-tcp', undefined, 'tls', undefined, true],
    ]);
  });

  it('DISABLE (namespace over a STRICT mesh): plaintext only, no tls_inspector', () => {
    const l = inbound(bookinfoSnapshot({ peerAuthentications: [mesh('STRICT'), pa('default', { mtls: { mode: 'DISABLE' } })] }));
    expect(shape(l.filter_chains).map((c) => c[2])).toEqual(['raw_buffer', 'raw_buffer', 'raw_buffer']);
    expect(l.filter_chains?.some((c) => c.transport_socket)).toBe(false);
    expect(l.listener_filters).toBeUndefined();
  });

  it('port level: a workload policy STRICT with 9080 PERMISSIVE; the passthrough follows the workload mode', () => {
    const wl = pa('reviews', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '9080': { mode: 'PERMISSIVE' } } });
    const l = inbound(bookinfoSnapshot({ peerAuthentications: [wl] }));
    expect(shape(l.filter_chains).map((c) => [c[0], c[2]])).toEqual([
      ['0.0.0.0_9080', 'tls'],
      ['0.0.0.0_9080', 'raw_buffer'],
      ['InboundPassthroughCluster', 'tls'],
      ['virtualInbound-catchall-tcp', 'tls'],
    ]);
  });

  it('mTLS emission off: the chains as before (no transport protocol, no XFCC)', () => {
    const r = translate(bookinfoSnapshot({ peerAuthentications: [mesh('STRICT')] }), sidecarProxy('reviews-v1'));
    const l = r.listeners.find((x) => x.name === 'virtualInbound');
    expect(shape(l?.filter_chains).map((c) => c[2])).toEqual([undefined, undefined, undefined]);
    expect(hcmOf(l?.filter_chains?.[0])?.['forward_client_cert_details']).toBeUndefined();
  });
});

describe('inbound chains for TCP and undeclared ports', () => {
  const tcpEcho: MeshService = {
    name: 'tcp-echo',
    namespace: NS,
    hostname: `tcp-echo.${NS}.svc.cluster.local`,
    ports: [
      { name: 'tcp', port: 9000, targetPort: 9000, protocol: 'TCP' },
      { name: 'other', port: 9002, targetPort: 9002, protocol: 'AUTO' },
    ],
    selector: { app: 'reviews' },
  };
  const snapshot = (pas: PeerAuthentication[] = []): MeshSnapshot => ({ ...bookinfoSnapshot({ peerAuthentications: pas }), services: [...bookinfoSnapshot().services, tcpEcho] });
  const portChains = (l: Listener, port: number) => shape(l.filter_chains).filter((c) => c[1] === port);

  it('PERMISSIVE TCP: mTLS, plaintext, one-way TLS; AUTO: Istio\'s five chains with http_inspector', () => {
    const l = inbound(snapshot());
    expect(portChains(l, 9000)).toEqual([
      ['0.0.0.0_9000', 9000, 'tls', ISTIO_ALPNS, true],
      ['0.0.0.0_9000', 9000, 'raw_buffer', undefined, false],
      ['0.0.0.0_9000', 9000, 'tls', undefined, false],
    ]);
    expect(portChains(l, 9002).map((c) => [c[0], c[2], c[4]])).toEqual([
      ['0.0.0.0_9002', 'tls', true],
      ['0.0.0.0_9002', 'raw_buffer', false],
      ['0.0.0.0_9002-tcp', 'tls', true],
      ['0.0.0.0_9002-tcp', 'raw_buffer', false],
      ['0.0.0.0_9002-tcp', 'tls', false],
    ]);
    expect(l.listener_filters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector', 'envoy.filters.listener.http_inspector']);
  });

  it('STRICT TCP: one TLS chain whose server ALPN includes istio-peer-exchange', () => {
    const l = inbound(snapshot([mesh('STRICT')]));
    expect(portChains(l, 9000)).toEqual([['0.0.0.0_9000', 9000, 'tls', undefined, true]]);
    expect(l.filter_chains?.find((c) => c.name === '0.0.0.0_9000')?.transport_socket).toEqual(downstream(['istio-peer-exchange', 'h2', 'http/1.1']));
  });
});

describe('local mode (interception NONE): bound <podIP>_<port> listeners', () => {
  it('PERMISSIVE: TLS + plaintext chains and tls_inspector; STRICT: the TLS chain only', () => {
    const none = { interception: 'NONE' as const };
    const permissive = inbound(bookinfoSnapshot(), 'reviews-v1', none);
    expect(permissive.name).toBe('10.0.0.14_9080');
    expect(shape(permissive.filter_chains)).toEqual([
      [undefined, undefined, 'tls', ISTIO_ALPNS, true],
      [undefined, undefined, 'raw_buffer', undefined, false],
    ]);
    expect(permissive.listener_filters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    const strict = inbound(bookinfoSnapshot({ peerAuthentications: [mesh('STRICT')] }), 'reviews-v1', none);
    expect(shape(strict.filter_chains)).toEqual([[undefined, undefined, 'tls', undefined, true]]);
  });
});

describe('inbound clusters bind to 127.0.0.6 under REDIRECT', () => {
  it('inbound|9080|| and InboundPassthroughCluster', () => {
    const r = translate(bookinfoSnapshot(), sidecarProxy('reviews-v1'), MTLS);
    const bind = { source_address: { address: '127.0.0.6', port_value: 0 } };
    expect(r.clusters.find((c) => c.name === 'inbound|9080||')?.upstream_bind_config).toEqual(bind);
    expect(r.clusters.find((c) => c.name === 'InboundPassthroughCluster')?.upstream_bind_config).toEqual(bind);
    const local = translate(bookinfoSnapshot(), sidecarProxy('reviews-v1', { interception: 'NONE' }), MTLS);
    expect(local.clusters.find((c) => c.name === 'inbound|9080||')?.upstream_bind_config).toBeUndefined();
  });
});

/**
 * An undeclared (auto-detected) port between two sidecars, in istiod's shapes: the server's PERMISSIVE
 * chains tell HTTP-over-mTLS (ALPN istio-http/1.x, istio-h2) from TCP-over-mTLS (istio-peer-exchange,
 * istio) and plaintext HTTP from plaintext TCP; the client sidecar reaches it over auto mTLS from an
 * HTTP listener whose HCM has istiod's `istio.alpn` filter and from a tcp_proxy listener.
 */
import { HCM_TYPE, ISTIO_ALPN_TYPE, ROUTER_TYPE, TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import type { FilterChain, Listener, TypedConfig } from '../config/envoy-types';
import type { SecretProvider } from '../sds/secret-provider';
import { route, routeConfig, vhost } from './envoy-fixtures';
import { type TestProxy, type Upstream, startProxy } from './harness';
import { ISTIO_CLIENT_ALPN, inboundCluster, inboundHcm, inboundListener, inboundTls, meshAssignment, outboundMtlsCluster } from './istio-mtls';
import { spiffe } from './mesh-pki';

export const AUTO_PORT = 9001;
export const AUTO_HOST = 'tcp-echo.default.svc.cluster.local';
export const AUTO_CLUSTER = `outbound|${AUTO_PORT}||${AUTO_HOST}`;
export const INBOUND_AUTO_CLUSTER = `inbound|${AUTO_PORT}||`;
/** The client's tcp_proxy listener to the same service port. */
export const AUTO_TCP_LISTENER = `127.0.0.1_${AUTO_PORT}`;

/** istiod's `istio.alpn` (pilot/pkg/xds/filters `Alpn`). */
export const ISTIO_ALPN_FILTER = {
  name: 'istio.alpn',
  typed_config: {
    '@type': ISTIO_ALPN_TYPE,
    alpn_override: [
      { upstream_protocol: 'HTTP10', alpn_override: ['istio-http/1.0', 'istio', 'http/1.0'] },
      { upstream_protocol: 'HTTP11', alpn_override: ['istio-http/1.1', 'istio', 'http/1.1'] },
      { upstream_protocol: 'HTTP2', alpn_override: ['istio-h2', 'istio', 'h2'] },
    ],
  },
};

const tcpProxy = (cluster: string): { name: string; typed_config: TypedConfig } => ({ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: cluster, cluster } });

/** PERMISSIVE chains of an undeclared port (docs/xds-resources.md "Istio mTLS"): two mTLS, two plaintext. */
function autoPortChains(port: number): FilterChain[] {
  const hcm = { name: 'envoy.filters.network.http_connection_manager', typed_config: inboundHcm(port) };
  const tcp = tcpProxy(`inbound|${port}||`);
  const match = (transport: string, alpn?: string[]): FilterChain['filter_chain_match'] => ({ destination_port: { value: port }, transport_protocol: transport, ...(alpn ? { application_protocols: alpn } : {}) });
  return [
    { name: `0.0.0.0_${port}`, filter_chain_match: match('tls', ['istio-http/1.0', 'istio-http/1.1', 'istio-h2']), filters: [hcm], transport_socket: inboundTls(['h2', 'http/1.1']) },
    { name: `0.0.0.0_${port}`, filter_chain_match: match('tls', ISTIO_CLIENT_ALPN), filters: [tcp], transport_socket: inboundTls(['istio-peer-exchange', 'h2', 'http/1.1']) },
    { name: `0.0.0.0_${port}`, filter_chain_match: match('raw_buffer', ['http/1.0', 'http/1.1', 'h2c']), filters: [hcm] },
    { name: `0.0.0.0_${port}`, filter_chain_match: match('raw_buffer'), filters: [tcp] },
  ];
}

/** The server sidecar: `127.0.0.1_9001` (PERMISSIVE, undeclared) in front of `app`. */
export function startAutoServer(app: Upstream, secrets: SecretProvider): Promise<TestProxy> {
  return startProxy({ clusters: [inboundCluster(AUTO_PORT, app.port)], listeners: [inboundListener(`127.0.0.1_${AUTO_PORT}`, AUTO_PORT, autoPortChains(AUTO_PORT))] }, { secrets });
}

/** The client sidecar: HTTP `0.0.0.0_9001` (istio.alpn → router) and TCP `127.0.0.1_9001`, both to the server over auto mTLS. */
export function startAutoClient(server: TestProxy, secrets: SecretProvider): Promise<TestProxy> {
  const http: Listener = {
    name: `0.0.0.0_${AUTO_PORT}`,
    address: { socket_address: { address: '0.0.0.0', port_value: AUTO_PORT } },
    traffic_direction: 'OUTBOUND',
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM_TYPE,
              stat_prefix: `outbound_0.0.0.0_${AUTO_PORT}`,
              route_config: routeConfig(String(AUTO_PORT), [vhost(`${AUTO_HOST}:${AUTO_PORT}`, ['*'], [route({ prefix: '/' }, { cluster: AUTO_CLUSTER })])]),
              http_filters: [ISTIO_ALPN_FILTER, { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
            },
          },
        ],
      },
    ],
  };
  const tcp: Listener = { name: AUTO_TCP_LISTENER, address: { socket_address: { address: '127.0.0.1', port_value: AUTO_PORT } }, filter_chains: [{ filters: [tcpProxy(AUTO_CLUSTER)] }] };
  return startProxy(
    {
      clusters: [outboundMtlsCluster(AUTO_CLUSTER, AUTO_PORT, AUTO_HOST, { sans: [spiffe('bookinfo-tcp-echo')], auto: true })],
      endpoints: [meshAssignment(AUTO_CLUSTER, [{ port: server.port(`127.0.0.1_${AUTO_PORT}`), sidecar: true }])],
      listeners: [http, tcp],
    },
    { secrets },
  );
}

/**
 * Envoy resources for mTLS in the shapes istiod writes them (mesh-internals §2.6: cluster_tls.go,
 * authn/utils.go, listener_inbound.go), small enough to read in a test: ISTIO_MUTUAL and auto-mTLS
 * clusters, PERMISSIVE / STRICT inbound chains, the inbound HCM with XFCC, the inbound cluster bound
 * to 127.0.0.6.
 */
import { DOWNSTREAM_TLS_CONTEXT_TYPE, HCM_TYPE, HTTP_INSPECTOR_TYPE, ROUTER_TYPE, TCP_PROXY_TYPE, TLS_INSPECTOR_TYPE, UPSTREAM_TLS_CONTEXT_TYPE } from '@trellis/mesh-envoy';
import type { Cluster, ClusterLoadAssignment, FilterChain, Listener, TypedConfig } from '../config/envoy-types';
import { KNOWN_TYPES } from '../config/proto';
import { edsCluster } from './envoy-fixtures';

/** The agent's SDS server, as istiod references it (`sds-grpc` over the workload UDS). */
export const SDS_CONFIG = {
  api_config_source: { api_type: 'GRPC', set_node_on_first_message_only: true, transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'sds-grpc' } }] },
  initial_fetch_timeout: { seconds: 0 },
  resource_api_version: 'V3',
} as const;

const TLS_PARAMS = { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' } as const;
/** Istio's default inbound cipher list (`SupportedCiphers`). */
export const ISTIO_CIPHERS = ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256'];
/** ALPNs an Istio client offers (`ALPNInMeshWithMxc`), +h2 for HTTP/2 clusters. */
export const ISTIO_CLIENT_ALPN = ['istio-peer-exchange', 'istio'];
/** What an inbound mTLS HTTP chain matches (`allIstioMtlsALPNs`). */
export const ISTIO_MTLS_ALPNS = ['istio', 'istio-peer-exchange', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2'];
export const PLAINTEXT_HTTP_ALPNS = ['http/1.1', 'http/1.0', 'h2c'];

const sds = (name: string): { name: string; sds_config: typeof SDS_CONFIG } => ({ name, sds_config: SDS_CONFIG });

/** DestinationRule ISTIO_MUTUAL → UpstreamTlsContext (buildIstioMutualTLS). */
export function istioMutual(sni: string, sans: readonly string[], http2 = false): TypedConfig {
  return {
    '@type': UPSTREAM_TLS_CONTEXT_TYPE,
    common_tls_context: {
      tls_params: TLS_PARAMS,
      alpn_protocols: http2 ? [...ISTIO_CLIENT_ALPN, 'h2'] : ISTIO_CLIENT_ALPN,
      tls_certificate_sds_secret_configs: [sds('default')],
      combined_validation_context: {
        default_validation_context: { match_subject_alt_names: sans.map((exact) => ({ exact })) },
        validation_context_sds_secret_config: sds('ROOTCA'),
      },
    },
    sni,
  };
}

export const tlsSocket = (typed: TypedConfig): { name: string; typed_config: TypedConfig } => ({ name: 'envoy.transport_sockets.tls', typed_config: typed });
const RAW_BUFFER = { name: 'envoy.transport_sockets.raw_buffer', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer' } };

/** The DNS-safe SNI of a cluster (BuildDNSSrvSubsetKey): `outbound_.9080_.v1_.reviews.default.svc.cluster.local`. */
export const istioSni = (port: number, subset: string, host: string): string => `outbound_.${port}_.${subset}_.${host}`;

export interface OutboundOptions {
  readonly http2?: boolean;
  /** auto mTLS (no DestinationRule): transport_socket_matches instead of a transport_socket. */
  readonly auto?: boolean;
  readonly sans: readonly string[];
  readonly maxRequestsPerConnection?: number | undefined;
}

/** An outbound EDS cluster with ISTIO_MUTUAL or auto mTLS. */
export function outboundMtlsCluster(name: string, port: number, host: string, o: OutboundOptions): Cluster {
  const socket = tlsSocket(istioMutual(istioSni(port, '', host), o.sans, o.http2));
  return edsCluster(name, {
    ...(o.auto
      ? { transport_socket_matches: [{ name: 'tlsMode-istio', match: { tlsMode: 'istio' }, transport_socket: socket }, { name: 'tlsMode-disabled', match: {}, transport_socket: RAW_BUFFER }] }
      : { transport_socket: socket }),
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': KNOWN_TYPES.httpProtocolOptions,
        ...(o.maxRequestsPerConnection !== undefined ? { common_http_protocol_options: { max_requests_per_connection: { value: o.maxRequestsPerConnection } } } : {}),
        explicit_http_config: o.http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
      },
    },
    metadata: { filter_metadata: { istio: { services: [{ host, name: host.split('.')[0], namespace: 'default' }] } } },
  });
}

/** EDS with Istio's per-endpoint metadata: {tlsMode: istio} for pods with a sidecar. */
export function meshAssignment(cluster: string, eps: readonly { port: number; host?: string; sidecar: boolean }[]): ClusterLoadAssignment {
  return {
    cluster_name: cluster,
    endpoints: [
      {
        locality: {},
        lb_endpoints: eps.map((e) => ({
          endpoint: { address: { socket_address: { address: e.host ?? '127.0.0.1', port_value: e.port } } },
          health_status: 'HEALTHY',
          metadata: { filter_metadata: { 'envoy.transport_socket_match': e.sidecar ? { tlsMode: 'istio' } : ({} as Record<string, string>) } },
        })),
      },
    ],
  };
}

/** Inbound DownstreamTlsContext (PeerAuthentication STRICT/PERMISSIVE's TLS chain). */
export function inboundTls(alpn: readonly string[] = ['h2', 'http/1.1']): { name: string; typed_config: TypedConfig } {
  return tlsSocket({
    '@type': DOWNSTREAM_TLS_CONTEXT_TYPE,
    common_tls_context: {
      tls_params: { ...TLS_PARAMS, cipher_suites: ISTIO_CIPHERS },
      alpn_protocols: alpn,
      tls_certificate_sds_secret_configs: [sds('default')],
      combined_validation_context: { default_validation_context: {}, validation_context_sds_secret_config: sds('ROOTCA') },
    },
    require_client_certificate: { value: true },
  });
}

/** The inbound HCM for a port: inline route to inbound|<port>||, XFCC APPEND_FORWARD with subject, dns, uri. */
export function inboundHcm(port: number): TypedConfig {
  const cluster = `inbound|${port}||`;
  return {
    '@type': HCM_TYPE,
    stat_prefix: `inbound_0.0.0.0_${port}`,
    route_config: { name: cluster, virtual_hosts: [{ name: `inbound|http|${port}`, domains: ['*'], routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster, timeout: { seconds: 0 } } }] }], validate_clusters: { value: false } },
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
    forward_client_cert_details: 'APPEND_FORWARD',
    set_current_client_cert_details: { subject: { value: true }, dns: true, uri: true },
    use_remote_address: { value: false },
  };
}

const tcpProxy = (port: number): TypedConfig => ({ '@type': TCP_PROXY_TYPE, stat_prefix: `inbound|${port}||`, cluster: `inbound|${port}||` });

/** The inbound chains of one port under a PeerAuthentication mode (listener_inbound.go). */
export function inboundChains(port: number, mode: 'STRICT' | 'PERMISSIVE', protocol: 'http' | 'tcp'): FilterChain[] {
  const name = `0.0.0.0_${port}`;
  const filter = protocol === 'http' ? { name: 'envoy.filters.network.http_connection_manager', typed_config: inboundHcm(port) } : { name: 'envoy.filters.network.tcp_proxy', typed_config: tcpProxy(port) };
  const tls: FilterChain = {
    name,
    filter_chain_match: { destination_port: { value: port }, transport_protocol: 'tls', application_protocols: protocol === 'http' ? ISTIO_MTLS_ALPNS : ISTIO_CLIENT_ALPN },
    filters: [filter],
    transport_socket: inboundTls(protocol === 'http' ? ['h2', 'http/1.1'] : ['istio-peer-exchange', 'h2', 'http/1.1']),
  };
  const plain: FilterChain = {
    name,
    filter_chain_match: { destination_port: { value: port }, transport_protocol: 'raw_buffer', ...(protocol === 'http' ? { application_protocols: PLAINTEXT_HTTP_ALPNS } : {}) },
    filters: [filter],
  };
  return mode === 'STRICT' ? [tls] : [tls, plain];
}

/** A bound inbound listener with Istio's inspectors (local mode's `<podIP>_<port>`; virtualInbound's chains). */
export function inboundListener(name: string, port: number, chains: FilterChain[]): Listener {
  return {
    name,
    address: { socket_address: { address: '127.0.0.1', port_value: port } },
    traffic_direction: 'INBOUND',
    listener_filters: [
      { name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE } },
      { name: 'envoy.filters.listener.http_inspector', typed_config: { '@type': HTTP_INSPECTOR_TYPE } },
    ],
    filter_chains: chains,
  };
}

/** inbound|<port>|| to the app, bound to 127.0.0.6 as istiod writes it (STATIC here: local mode's app endpoint). */
export function inboundCluster(port: number, appPort: number, http2 = false): Cluster {
  const name = `inbound|${port}||`;
  return {
    name,
    type: 'STATIC',
    connect_timeout: { seconds: 10 },
    lb_policy: 'ROUND_ROBIN',
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: appPort } } } }] }] },
    upstream_bind_config: { source_address: { address: '127.0.0.6', port_value: 0 } },
    ...(http2 ? { typed_extension_protocol_options: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': KNOWN_TYPES.httpProtocolOptions, explicit_http_config: { http2_protocol_options: {} } } } } : {}),
  };
}

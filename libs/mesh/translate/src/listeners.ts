import {
  FAULT_FILTER_NAME,
  FAULT_TYPE,
  HCM_FILTER_NAME,
  HCM_TYPE,
  ROUTER_FILTER_NAME,
  ROUTER_TYPE,
  TCP_PROXY_FILTER_NAME,
  TCP_PROXY_TYPE,
  type FilterChain,
  type HttpConnectionManager,
  type HttpFilter,
  type Listener,
  type NetworkFilter,
  type RouteConfiguration,
} from '@trellis/mesh-envoy';
import { ADS } from './clusters';
import { ISTIO_ALPN_FILTER } from './istio-alpn';
import { istioStatsHttpFilter, istioStatsNetworkFilter, type ListenerClass, peerMetadataFilter } from './telemetry/stats-filter';
import { BLACKHOLE_CLUSTER, listenerName, OUTBOUND_CAPTURE_PORT, PASSTHROUGH_CLUSTER, VIRTUAL_OUTBOUND, WILDCARD_ADDRESS } from './naming';

export const FAULT_FILTER: HttpFilter = { name: FAULT_FILTER_NAME, typed_config: { '@type': FAULT_TYPE } };
/** istiod's EnvoyServerName. */
export const ISTIO_SERVER_NAME = 'istio-envoy';
export const ROUTER_FILTER: HttpFilter = { name: ROUTER_FILTER_NAME, typed_config: { '@type': ROUTER_TYPE } };

/**
 * What Envoy's http_inspector sets for HTTP that Istio's plaintext HTTP chains match (istiod's
 * plaintextHTTPALPNs): without PILOT_HTTP10 not `http/1.0`, which the HCM would only answer `426`, so
 * such a connection passes as TCP (http10.ts adds it back).
 */
export const HTTP_APPLICATION_PROTOCOLS: readonly string[] = ['http/1.1', 'h2c'];

export interface HcmOptions {
  statPrefix: string;
  /** RDS route config name, or an inline route configuration. */
  routes: string | RouteConfiguration;
  fault?: boolean;
  useRemoteAddress?: boolean;
  /** Sidecar outbound and gateway HCMs with mTLS: Istio's `istio.alpn` filter first (istio-alpn.ts). */
  upstreamAlpn?: boolean;
  /**
   * Sidecar inbound with mTLS (Istio's buildInboundHTTPOpts): APPEND_FORWARD the peer's certificate
   * details (Subject, URI, DNS) in `x-forwarded-client-cert`; Envoy removes a client-supplied XFCC on
   * connections that are not mTLS.
   */
  xfcc?: boolean;
  /**
   * Inbound and gateway HCMs: the workload's security filters (security/index.ts: CUSTOM, jwt_authn,
   * rbac), after istio.alpn and before fault, as istiod orders them.
   */
  securityFilters?: readonly HttpFilter[];
  /** Istio's listener class for telemetry (istio.metadata_exchange, istio.stats): sidecar outbound unless told. */
  telemetry?: ListenerClass;
}

const SET_CURRENT_CLIENT_CERT_DETAILS = { subject: { value: true }, dns: true, uri: true };

/** `http_filters` in Istio's order: istio.metadata_exchange → [istio.alpn] → [security] → [fault] → istio.stats → router. */
function httpFilters(o: HcmOptions): HttpFilter[] {
  const cls = o.telemetry ?? 'outbound';
  const filters = [peerMetadataFilter(cls)];
  if (o.upstreamAlpn === true) filters.push(ISTIO_ALPN_FILTER);
  filters.push(...(o.securityFilters ?? []));
  if (o.fault !== false) filters.push(FAULT_FILTER);
  filters.push(istioStatsHttpFilter(cls), ROUTER_FILTER);
  return filters;
}

/** The HttpConnectionManager typed config (RDS over ADS or inline routes; [istio.alpn,] fault + router filters). */
export function httpConnectionManager(o: HcmOptions): HttpConnectionManager {
  const routes = typeof o.routes === 'string' ? { rds: { route_config_name: o.routes, config_source: ADS } } : { route_config: o.routes };
  return {
    '@type': HCM_TYPE,
    stat_prefix: o.statPrefix,
    ...routes,
    http_filters: httpFilters(o),
    generate_request_id: { value: true },
    use_remote_address: { value: o.useRemoteAddress ?? false },
    max_request_headers_kb: { value: 60 },
    // istiod's GetProxyHeaders: `istio-envoy` on inbound and gateway HCMs, Envoy's default `envoy` on sidecar outbound.
    ...((o.telemetry ?? 'outbound') !== 'outbound' && { server_name: ISTIO_SERVER_NAME }),
    ...(o.xfcc === true && { forward_client_cert_details: 'APPEND_FORWARD' as const, set_current_client_cert_details: SET_CURRENT_CLIENT_CERT_DETAILS }),
  };
}

export function hcmChain(o: HcmOptions, extra: Omit<FilterChain, 'filters'> = {}): FilterChain {
  return { ...extra, filters: [{ name: HCM_FILTER_NAME, typed_config: httpConnectionManager(o) }] };
}

/**
 * A filter chain that is one tcp_proxy to `cluster` (stat_prefix = the cluster, as istiod writes it),
 * after `networkFilters` (inbound: the workload's CUSTOM and RBAC network filters) and istio.stats.
 */
export function tcpProxyChain(cluster: string, extra: Omit<FilterChain, 'filters'> = {}, networkFilters: readonly NetworkFilter[] = [], cls: ListenerClass = 'outbound'): FilterChain {
  const tcp: NetworkFilter = { name: TCP_PROXY_FILTER_NAME, typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: cluster, cluster } };
  return { ...extra, filters: [...networkFilters, istioStatsNetworkFilter(cls), tcp] };
}

export function socketAddress(address: string, port: number): Listener['address'] {
  return { socket_address: { address, port_value: port } };
}

/** Sidecar per-port outbound listener `0.0.0.0_<port>` (bind_to_port false) with RDS `"<port>"`; `upstreamAlpn` with mTLS. */
export function outboundPortListener(port: number, upstreamAlpn = false): Listener {
  const name = listenerName(WILDCARD_ADDRESS, port);
  return {
    name,
    address: socketAddress(WILDCARD_ADDRESS, port),
    bind_to_port: { value: false },
    traffic_direction: 'OUTBOUND',
    filter_chains: [hcmChain({ statPrefix: `outbound_${name}`, routes: String(port), upstreamAlpn })],
  };
}

/** An inline route config sending everything to one cluster. */
export function catchAllRoutes(name: string, cluster: string): RouteConfiguration {
  return {
    name,
    virtual_hosts: [{ name, domains: ['*'], routes: [{ name, match: { prefix: '/' }, route: { cluster, timeout: { seconds: 0, nanos: 0 } } }] }],
    validate_clusters: { value: false },
  };
}

/**
 * `virtualOutbound` (15001): original-dst capture listener. Its own chain (for traffic no per-port
 * listener claims) forwards to PassthroughCluster (BlackHoleCluster when REGISTRY_ONLY). REDIRECT binds 0.0.0.0, NONE the pod address.
 */
export function virtualOutboundListener(bindAddress: string, blocked = false, capture = false, upstreamAlpn = false): Listener {
  const cluster = blocked ? BLACKHOLE_CLUSTER : PASSTHROUGH_CLUSTER;
  // With capture the HTTP chain matches only what an http_inspector would call HTTP: virtualOutbound has
  // none, so a proxy reading SO_ORIGINAL_DST serves every unclaimed destination by the tcp_proxy below (as
  // Envoy does); the HTTP chain is what a proxy without it routes by Host (docs/capture.md).
  const match = capture ? { filter_chain_match: { application_protocols: [...HTTP_APPLICATION_PROTOCOLS] } } : {};
  const chains: FilterChain[] = [hcmChain({ statPrefix: cluster, routes: catchAllRoutes(blocked ? 'block_all' : 'allow_any', cluster), fault: false, upstreamAlpn }, { name: cluster, ...match })];
  // Captured non-HTTP traffic to a destination no listener claims (SO_ORIGINAL_DST): Istio's catch-all tcp_proxy.
  if (capture) chains.push(tcpProxyChain(cluster, { name: `${VIRTUAL_OUTBOUND}-catchall-tcp` }));
  return {
    name: VIRTUAL_OUTBOUND,
    address: socketAddress(bindAddress, OUTBOUND_CAPTURE_PORT),
    use_original_dst: { value: true },
    traffic_direction: 'OUTBOUND',
    filter_chains: chains,
  };
}

/** Envoy's well-known extension names (the `name` beside a typed_config, and map keys). */

export const HCM_FILTER_NAME = 'envoy.filters.network.http_connection_manager';
export const TCP_PROXY_FILTER_NAME = 'envoy.filters.network.tcp_proxy';
export const FAULT_FILTER_NAME = 'envoy.filters.http.fault';
export const ROUTER_FILTER_NAME = 'envoy.filters.http.router';
export const LOCAL_RATE_LIMIT_FILTER_NAME = 'envoy.filters.http.local_ratelimit';
export const PREVIOUS_HOSTS_PREDICATE_NAME = 'envoy.retry_host_predicates.previous_hosts';
/** The key of HttpProtocolOptions in `Cluster.typed_extension_protocol_options`. */
export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
/** Cluster.transport_socket names: TLS (UpstreamTlsContext) and plaintext. */
export const TLS_TRANSPORT_SOCKET_NAME = 'envoy.transport_sockets.tls';
export const RAW_BUFFER_TRANSPORT_SOCKET_NAME = 'envoy.transport_sockets.raw_buffer';
/** Listener filters. */
export const TLS_INSPECTOR_FILTER_NAME = 'envoy.filters.listener.tls_inspector';
export const HTTP_INSPECTOR_FILTER_NAME = 'envoy.filters.listener.http_inspector';
/** FilterChainMatch.transport_protocol values: what tls_inspector reports, and Envoy's default without it. */
export const TLS_TRANSPORT_PROTOCOL = 'tls';
export const RAW_BUFFER_TRANSPORT_PROTOCOL = 'raw_buffer';
/**
 * Istio's SDS names (pkg/model/authentication.go): the workload certificate, the root it trusts, and
 * the bootstrap cluster every SdsSecretConfig's `sds_config` points at (Envoy's bootstrap defines it;
 * it never comes over CDS — the Trellis proxy resolves it in-process).
 */
export const SDS_DEFAULT_SECRET_NAME = 'default';
export const SDS_ROOT_SECRET_NAME = 'ROOTCA';
export const SDS_CLUSTER_NAME = 'sds-grpc';
/** The endpoint metadata namespace `transport_socket_matches` reads, and Istio's key/value in it. */
export const TRANSPORT_SOCKET_MATCH_METADATA = 'envoy.transport_socket_match';

// ── security filters (security-filters.ts), named as istiod names them ───────
export const RBAC_FILTER_NAME = 'envoy.filters.http.rbac';
export const NETWORK_RBAC_FILTER_NAME = 'envoy.filters.network.rbac';
export const JWT_AUTHN_FILTER_NAME = 'envoy.filters.http.jwt_authn';
export const EXT_AUTHZ_FILTER_NAME = 'envoy.filters.http.ext_authz';
export const NETWORK_EXT_AUTHZ_FILTER_NAME = 'envoy.filters.network.ext_authz';
/** The dynamic-metadata key jwt_authn writes the verified payload to (istiod `payload_in_metadata`). */
export const JWT_PAYLOAD_METADATA_KEY = 'payload';

// ── observability (observability.ts) ─────────────────────────────────────────
export const FILE_ACCESS_LOG_NAME = 'envoy.access_loggers.file';
export const ZIPKIN_TRACER_NAME = 'envoy.tracers.zipkin';
export const OPENTELEMETRY_TRACER_NAME = 'envoy.tracers.opentelemetry';
/** istiod's name for the stats filter in http_filters and network filters. */
export const ISTIO_STATS_FILTER_NAME = 'istio.stats';

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

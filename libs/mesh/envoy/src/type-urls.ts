/**
 * Every `type.googleapis.com/…` URL Trellis speaks, spelled out once: the four xDS resource types
 * (DiscoveryRequest/Response `type_url`) and the `@type` of every typed_config Trellis emits or the
 * proxy accepts. Each constant has its literal type, so `'@type': typeof HCM_TYPE` pins a message.
 */

export const TYPE_PREFIX = 'type.googleapis.com/';

// ── xDS resource types ────────────────────────────────────────────────────────
export const LISTENER_TYPE = 'type.googleapis.com/envoy.config.listener.v3.Listener';
export const ROUTE_CONFIGURATION_TYPE = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
export const CLUSTER_TYPE = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
export const CLUSTER_LOAD_ASSIGNMENT_TYPE = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
/** SDS over ADS: gateway credentials (`kubernetes://<credentialName>`, `…-cacert`), istiod's SecretGen. */
export const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

/** The xDS resource types Trellis serves, by short name (istioctl's spelling). */
export type XdsType = 'CDS' | 'EDS' | 'LDS' | 'RDS' | 'SDS';

/** xDS short name → resource type URL. */
export const TYPE_URLS = {
  LDS: LISTENER_TYPE,
  RDS: ROUTE_CONFIGURATION_TYPE,
  CDS: CLUSTER_TYPE,
  EDS: CLUSTER_LOAD_ASSIGNMENT_TYPE,
  SDS: SECRET_TYPE,
} as const satisfies Readonly<Record<XdsType, string>>;

// ── network filters (Listener.filter_chains[].filters[].typed_config) ─────────
/** Network RBAC: closes a denied connection (Istio's AuthorizationPolicy on TCP ports). */
export const NETWORK_RBAC_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC';
export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const TCP_PROXY_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';

// ── HTTP filters (HttpConnectionManager.http_filters[].typed_config, typed_per_filter_config) ──
export const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
export const FAULT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault';
export const LOCAL_RATE_LIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
/** Global rate limit: asks the rate limit service (envoy.service.ratelimit.v3.RateLimitService). */
export const RATE_LIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit';
/** Wrapper for a per-route filter config (`{ '@type', config, is_optional, disabled }`). */
export const FILTER_CONFIG_TYPE = 'type.googleapis.com/envoy.config.route.v3.FilterConfig';

// ── untyped extension configs (`{ '@type', type_url, value: Struct }`, as Istio's EnvoyFilter samples write them) ──
export const UDPA_TYPED_STRUCT_TYPE = 'type.googleapis.com/udpa.type.v1.TypedStruct';
export const XDS_TYPED_STRUCT_TYPE = 'type.googleapis.com/xds.type.v3.TypedStruct';

// ── listener filters (Listener.listener_filters[].typed_config) ──────────────
export const ORIGINAL_DST_TYPE = 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst';
export const TLS_INSPECTOR_TYPE = 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector';
export const HTTP_INSPECTOR_TYPE = 'type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector';
/** The listener filters Istio emits. */
export const LISTENER_FILTER_TYPES = [ORIGINAL_DST_TYPE, TLS_INSPECTOR_TYPE, HTTP_INSPECTOR_TYPE] as const;

// ── upstream protocol options (Cluster.typed_extension_protocol_options) ─────
export const HTTP_PROTOCOL_OPTIONS_TYPE = 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

// ── retry predicates (RetryPolicy.retry_host_predicate[].typed_config) ───────
export const PREVIOUS_HOSTS_TYPE = 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate';

// ── transport sockets (Cluster.transport_socket.typed_config) ─────────────────
export const UPSTREAM_TLS_CONTEXT_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
export const DOWNSTREAM_TLS_CONTEXT_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';
/** Plaintext (`envoy.transport_sockets.raw_buffer`): auto mTLS's `tlsMode-disabled` socket. */
export const RAW_BUFFER_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';

// ── security HTTP filters (security-filters.ts) ─────────────────────────────
export const RBAC_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC';
export const RBAC_PER_ROUTE_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute';
export const JWT_AUTHN_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication';
export const JWT_AUTHN_PER_ROUTE_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig';
export const EXT_AUTHZ_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz';
export const NETWORK_EXT_AUTHZ_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.ext_authz.v3.ExtAuthz';

// ── observability (observability.ts) ────────────────────────────────────────
export const FILE_ACCESS_LOG_TYPE = 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog';
export const CEL_ACCESS_LOG_FILTER_TYPE = 'type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter';
export const ZIPKIN_TRACER_TYPE = 'type.googleapis.com/envoy.config.trace.v3.ZipkinConfig';
export const OPENTELEMETRY_TRACER_TYPE = 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig';

/**
 * A partial, typed model of the Envoy v3 resources Trellis emits, in the contract shape of
 * docs/xds-resources.md (proto field names, Any as `{'@type'}`, Durations as {seconds, nanos},
 * wrappers as {value}, enums as names). Only the fields the translator sets are modelled.
 *
 * These are `type` aliases (not interfaces) on purpose: type literals are assignable to
 * `Record<string, unknown>`, which is how the ADS server (`@trellis/mesh-xds`) stores resources.
 */

export const TYPE_PREFIX = 'type.googleapis.com/';
export const HCM_TYPE = `${TYPE_PREFIX}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
export const FAULT_TYPE = `${TYPE_PREFIX}envoy.extensions.filters.http.fault.v3.HTTPFault`;
export const ROUTER_TYPE = `${TYPE_PREFIX}envoy.extensions.filters.http.router.v3.Router`;
export const HTTP_PROTOCOL_OPTIONS_TYPE = `${TYPE_PREFIX}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`;
export const PREVIOUS_HOSTS_TYPE = `${TYPE_PREFIX}envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate`;
export const HCM_FILTER_NAME = 'envoy.filters.network.http_connection_manager';
export const FAULT_FILTER_NAME = 'envoy.filters.http.fault';
export const ROUTER_FILTER_NAME = 'envoy.filters.http.router';
export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

// ── common ────────────────────────────────────────────────────────────────────
export type Duration = { seconds: number; nanos: number };
export type UInt32Value = { value: number };
export type BoolValue = { value: boolean };
export type FractionalPercent = { numerator: number; denominator: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION' };
export type SocketAddress = { address: string; port_value: number };
export type Address = { socket_address: SocketAddress };
export type AdsConfigSource = { ads: Record<string, never>; resource_api_version: 'V3' };
export type IstioMetadata = {
  filter_metadata: {
    istio: {
      config?: string;
      services?: { host: string; name: string; namespace: string }[];
      subset?: string;
    };
  };
};

// ── HTTP filters ──────────────────────────────────────────────────────────────
export type HttpFault = {
  '@type': typeof FAULT_TYPE;
  delay?: { fixed_delay: Duration; percentage: FractionalPercent };
  abort?: { http_status?: number; grpc_status?: number; percentage: FractionalPercent };
};
export type HttpFilter = { name: string; typed_config: { '@type': string } };

// ── routes ────────────────────────────────────────────────────────────────────
export type StringMatcher = {
  exact?: string;
  prefix?: string;
  suffix?: string;
  contains?: string;
  safe_regex?: { regex: string };
};
export type HeaderMatcher = {
  name: string;
  string_match?: StringMatcher;
  present_match?: boolean;
  invert_match?: boolean;
};
export type QueryParameterMatcher = { name: string; string_match?: StringMatcher; present_match?: boolean };
export type RouteMatch = {
  prefix?: string;
  path?: string;
  safe_regex?: { regex: string };
  case_sensitive?: BoolValue;
  headers?: HeaderMatcher[];
  query_parameters?: QueryParameterMatcher[];
};
export type AppendAction = 'APPEND_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS_OR_ADD';
export type HeaderValueOption = { header: { key: string; value: string }; append_action: AppendAction };
export type HeaderMutations = {
  request_headers_to_add?: HeaderValueOption[];
  request_headers_to_remove?: string[];
  response_headers_to_add?: HeaderValueOption[];
  response_headers_to_remove?: string[];
};
export type WeightedClusterEntry = HeaderMutations & { name: string; weight: UInt32Value };
export type RetryPolicy = {
  retry_on: string;
  num_retries: UInt32Value;
  per_try_timeout?: Duration;
  retriable_status_codes?: number[];
  retry_host_predicate?: { name: string; typed_config: { '@type': string } }[];
  host_selection_retry_max_attempts?: number;
};
export type HashPolicy =
  | { header: { header_name: string } }
  | { cookie: { name: string; ttl?: Duration; path?: string } }
  | { connection_properties: { source_ip: true } }
  | { query_parameter: { name: string } };
export type MirrorPolicy = { cluster: string; runtime_fraction: { default_value: FractionalPercent } };
export type RouteAction = {
  cluster?: string;
  weighted_clusters?: { clusters: WeightedClusterEntry[]; total_weight?: UInt32Value };
  timeout?: Duration;
  idle_timeout?: Duration;
  prefix_rewrite?: string;
  regex_rewrite?: { pattern: { regex: string }; substitution: string };
  host_rewrite_literal?: string;
  retry_policy?: RetryPolicy;
  request_mirror_policies?: MirrorPolicy[];
  hash_policy?: HashPolicy[];
  max_stream_duration?: { max_stream_duration?: Duration };
};
export type RedirectResponseCode =
  | 'MOVED_PERMANENTLY'
  | 'FOUND'
  | 'SEE_OTHER'
  | 'TEMPORARY_REDIRECT'
  | 'PERMANENT_REDIRECT';
export type RedirectAction = {
  scheme_redirect?: string;
  host_redirect?: string;
  port_redirect?: number;
  path_redirect?: string;
  prefix_rewrite?: string;
  response_code?: RedirectResponseCode;
};
export type DirectResponseAction = { status: number; body?: { inline_string: string } };
export type Route = HeaderMutations & {
  name?: string;
  match: RouteMatch;
  route?: RouteAction;
  redirect?: RedirectAction;
  direct_response?: DirectResponseAction;
  typed_per_filter_config?: { [FAULT_FILTER_NAME]?: HttpFault };
  metadata?: IstioMetadata;
};
export type VirtualHost = HeaderMutations & { name: string; domains: string[]; routes: Route[] };
export type RouteConfiguration = { name: string; virtual_hosts: VirtualHost[]; validate_clusters?: BoolValue };

// ── listeners ─────────────────────────────────────────────────────────────────
export type HttpConnectionManager = {
  '@type': typeof HCM_TYPE;
  stat_prefix: string;
  rds?: { route_config_name: string; config_source: AdsConfigSource };
  route_config?: RouteConfiguration;
  http_filters: HttpFilter[];
  generate_request_id?: BoolValue;
  use_remote_address?: BoolValue;
  max_request_headers_kb?: UInt32Value;
};
export type NetworkFilter = { name: typeof HCM_FILTER_NAME; typed_config: HttpConnectionManager };
export type FilterChain = {
  name?: string;
  filter_chain_match?: { destination_port?: UInt32Value };
  filters: NetworkFilter[];
};
export type TrafficDirection = 'OUTBOUND' | 'INBOUND';
export type Listener = {
  name: string;
  address?: Address;
  bind_to_port?: BoolValue;
  use_original_dst?: BoolValue;
  traffic_direction?: TrafficDirection;
  filter_chains?: FilterChain[];
  api_listener?: { api_listener: HttpConnectionManager };
};

// ── clusters and endpoints ────────────────────────────────────────────────────
export type LbEndpoint = {
  endpoint: { address: Address };
  health_status: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' | 'DRAINING';
  load_balancing_weight: UInt32Value;
  metadata?: { filter_metadata: Record<string, Record<string, string>> };
};
export type LocalityLbEndpoints = {
  locality: { region: string; zone: string; sub_zone: string };
  load_balancing_weight: UInt32Value;
  lb_endpoints: LbEndpoint[];
};
export type ClusterLoadAssignment = { cluster_name: string; endpoints: LocalityLbEndpoints[] };

export type ClusterDiscoveryType = 'EDS' | 'STATIC' | 'STRICT_DNS' | 'ORIGINAL_DST';
export type LbPolicy = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'RING_HASH' | 'MAGLEV' | 'CLUSTER_PROVIDED';
export type CircuitBreakerThreshold = {
  priority: 'DEFAULT' | 'HIGH';
  max_connections?: UInt32Value;
  max_pending_requests?: UInt32Value;
  max_requests?: UInt32Value;
  max_retries?: UInt32Value;
};
export type OutlierDetectionConfig = {
  consecutive_5xx?: UInt32Value;
  consecutive_gateway_failure?: UInt32Value;
  enforcing_consecutive_5xx?: UInt32Value;
  enforcing_consecutive_gateway_failure?: UInt32Value;
  enforcing_success_rate?: UInt32Value;
  interval?: Duration;
  base_ejection_time?: Duration;
  max_ejection_percent?: UInt32Value;
};
export type HttpProtocolOptions = {
  '@type': typeof HTTP_PROTOCOL_OPTIONS_TYPE;
  common_http_protocol_options?: { idle_timeout?: Duration; max_requests_per_connection?: UInt32Value };
  explicit_http_config?: { http_protocol_options: Record<string, never> } | { http2_protocol_options: Record<string, never> };
};
export type Cluster = {
  name: string;
  type: ClusterDiscoveryType;
  eds_cluster_config?: { eds_config: AdsConfigSource; service_name: string };
  load_assignment?: ClusterLoadAssignment;
  connect_timeout?: Duration;
  lb_policy?: LbPolicy;
  ring_hash_lb_config?: { minimum_ring_size?: { value: number } };
  circuit_breakers?: { thresholds: CircuitBreakerThreshold[] };
  outlier_detection?: OutlierDetectionConfig;
  typed_extension_protocol_options?: { [HTTP_PROTOCOL_OPTIONS_KEY]?: HttpProtocolOptions };
  metadata?: IstioMetadata;
};

/** Everything one proxy should run: what `translate(snapshot, proxy)` returns. */
export type XdsResources = {
  listeners: Listener[];
  routes: RouteConfiguration[];
  clusters: Cluster[];
  endpoints: ClusterLoadAssignment[];
};

/**
 * The Envoy v3 objects the proxy consumes, as plain JS objects (docs/xds-resources.md): snake_case
 * proto field names, `Any` as `{ '@type', ...fields }`, Durations as `{seconds, nanos}`, wrappers as
 * `{value}`, enums as strings. Only the fields the proxy reads are declared; everything is optional
 * because it arrives untrusted and is checked by the compilers in this folder.
 */

export interface Duration {
  readonly seconds?: number;
  readonly nanos?: number;
}
export interface UInt32Value {
  readonly value?: number;
}
export interface BoolValue {
  readonly value?: boolean;
}
export interface FractionalPercent {
  readonly numerator?: number;
  readonly denominator?: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';
}
export interface TypedConfig {
  readonly '@type'?: string;
  readonly [field: string]: unknown;
}
export interface SocketAddress {
  readonly address?: string;
  readonly port_value?: number;
}
export interface Address {
  readonly socket_address?: SocketAddress;
}
export interface Metadata {
  readonly filter_metadata?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

// === Listener ===

export interface Listener {
  readonly name?: string;
  readonly address?: Address;
  readonly bind_to_port?: BoolValue;
  readonly use_original_dst?: BoolValue;
  readonly traffic_direction?: 'OUTBOUND' | 'INBOUND' | 'UNSPECIFIED';
  readonly listener_filters?: readonly { readonly name?: string; readonly typed_config?: TypedConfig }[];
  readonly filter_chains?: readonly FilterChain[];
  readonly default_filter_chain?: FilterChain;
}
export interface FilterChain {
  readonly name?: string;
  readonly filter_chain_match?: { readonly destination_port?: UInt32Value };
  readonly filters?: readonly NetworkFilter[];
}
export interface NetworkFilter {
  readonly name?: string;
  readonly typed_config?: TypedConfig;
}
export interface HttpConnectionManager {
  readonly stat_prefix?: string;
  readonly rds?: { readonly route_config_name?: string };
  readonly route_config?: RouteConfiguration;
  readonly http_filters?: readonly { readonly name?: string; readonly typed_config?: TypedConfig }[];
  readonly access_log?: readonly unknown[];
  readonly generate_request_id?: BoolValue;
  readonly use_remote_address?: BoolValue;
  readonly max_request_headers_kb?: UInt32Value;
}
export interface TcpProxy {
  readonly stat_prefix?: string;
  readonly cluster?: string;
}

// === RouteConfiguration ===

export interface RouteConfiguration {
  readonly name?: string;
  readonly virtual_hosts?: readonly VirtualHost[];
  readonly validate_clusters?: BoolValue;
  readonly request_headers_to_add?: readonly HeaderValueOption[];
  readonly request_headers_to_remove?: readonly string[];
  readonly response_headers_to_add?: readonly HeaderValueOption[];
  readonly response_headers_to_remove?: readonly string[];
}
export interface HeaderMutations {
  readonly request_headers_to_add?: readonly HeaderValueOption[];
  readonly request_headers_to_remove?: readonly string[];
  readonly response_headers_to_add?: readonly HeaderValueOption[];
  readonly response_headers_to_remove?: readonly string[];
}
export interface VirtualHost extends HeaderMutations {
  readonly name?: string;
  readonly domains?: readonly string[];
  readonly routes?: readonly Route[];
}
export interface HeaderValueOption {
  readonly header?: { readonly key?: string; readonly value?: string };
  readonly append?: BoolValue;
  readonly append_action?: 'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';
}
export interface RegexMatcher {
  readonly regex?: string;
}
export interface StringMatcher {
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly contains?: string;
  readonly safe_regex?: RegexMatcher;
  readonly ignore_case?: boolean;
}
export interface HeaderMatcher {
  readonly name?: string;
  readonly string_match?: StringMatcher;
  readonly exact_match?: string;
  readonly prefix_match?: string;
  readonly suffix_match?: string;
  readonly contains_match?: string;
  readonly safe_regex_match?: RegexMatcher;
  readonly present_match?: boolean;
  readonly invert_match?: boolean;
}
export interface RouteMatch {
  readonly prefix?: string;
  readonly path?: string;
  readonly safe_regex?: RegexMatcher;
  readonly case_sensitive?: BoolValue;
  readonly headers?: readonly HeaderMatcher[];
  readonly query_parameters?: readonly {
    readonly name?: string;
    readonly string_match?: StringMatcher;
    readonly present_match?: boolean;
  }[];
}
export interface Route extends HeaderMutations {
  readonly name?: string;
  readonly match?: RouteMatch;
  readonly route?: RouteAction;
  readonly redirect?: RedirectAction;
  readonly direct_response?: { readonly status?: number; readonly body?: { readonly inline_string?: string } };
  readonly typed_per_filter_config?: Readonly<Record<string, TypedConfig>>;
  readonly metadata?: Metadata;
  readonly decorator?: { readonly operation?: string };
}
export interface WeightedCluster extends HeaderMutations {
  readonly name?: string;
  readonly weight?: UInt32Value;
}
export interface RouteAction {
  readonly cluster?: string;
  readonly weighted_clusters?: { readonly clusters?: readonly WeightedCluster[]; readonly total_weight?: UInt32Value };
  readonly timeout?: Duration;
  readonly idle_timeout?: Duration;
  readonly prefix_rewrite?: string;
  readonly regex_rewrite?: { readonly pattern?: RegexMatcher; readonly substitution?: string };
  readonly host_rewrite_literal?: string;
  readonly retry_policy?: RetryPolicy;
  readonly request_mirror_policies?: readonly {
    readonly cluster?: string;
    readonly runtime_fraction?: { readonly default_value?: FractionalPercent };
  }[];
  readonly hash_policy?: readonly HashPolicy[];
}
export interface RetryPolicy {
  readonly retry_on?: string;
  readonly num_retries?: UInt32Value;
  readonly per_try_timeout?: Duration;
  readonly retriable_status_codes?: readonly number[];
  readonly retry_host_predicate?: readonly { readonly name?: string }[];
  readonly host_selection_retry_max_attempts?: number;
  readonly retry_back_off?: { readonly base_interval?: Duration; readonly max_interval?: Duration };
}
export interface HashPolicy {
  readonly header?: { readonly header_name?: string };
  readonly cookie?: { readonly name?: string };
  readonly connection_properties?: { readonly source_ip?: boolean };
  readonly query_parameter?: { readonly name?: string };
  readonly terminal?: boolean;
}
export type RedirectResponseCode =
  | 'MOVED_PERMANENTLY'
  | 'FOUND'
  | 'SEE_OTHER'
  | 'TEMPORARY_REDIRECT'
  | 'PERMANENT_REDIRECT';
export interface RedirectAction {
  readonly scheme_redirect?: string;
  readonly https_redirect?: boolean;
  readonly host_redirect?: string;
  readonly port_redirect?: number;
  readonly path_redirect?: string;
  readonly prefix_rewrite?: string;
  readonly strip_query?: boolean;
  readonly response_code?: RedirectResponseCode;
}
export interface HttpFault {
  readonly delay?: { readonly fixed_delay?: Duration; readonly percentage?: FractionalPercent };
  readonly abort?: { readonly http_status?: number; readonly percentage?: FractionalPercent };
}

// === Cluster ===

export interface Cluster {
  readonly name?: string;
  readonly type?: 'EDS' | 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'ORIGINAL_DST';
  readonly eds_cluster_config?: { readonly service_name?: string };
  readonly load_assignment?: ClusterLoadAssignment;
  readonly connect_timeout?: Duration;
  readonly lb_policy?: 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'RING_HASH' | 'MAGLEV' | 'CLUSTER_PROVIDED';
  readonly circuit_breakers?: { readonly thresholds?: readonly CircuitBreakerThresholds[] };
  readonly outlier_detection?: OutlierDetection;
  readonly typed_extension_protocol_options?: Readonly<Record<string, TypedConfig>>;
  readonly metadata?: Metadata;
}
export interface CircuitBreakerThresholds {
  readonly priority?: 'DEFAULT' | 'HIGH';
  readonly max_connections?: UInt32Value;
  readonly max_pending_requests?: UInt32Value;
  readonly max_requests?: UInt32Value;
  readonly max_retries?: UInt32Value;
}
export interface OutlierDetection {
  readonly consecutive_5xx?: UInt32Value;
  readonly consecutive_gateway_failure?: UInt32Value;
  readonly enforcing_consecutive_5xx?: UInt32Value;
  readonly enforcing_consecutive_gateway_failure?: UInt32Value;
  readonly interval?: Duration;
  readonly base_ejection_time?: Duration;
  readonly max_ejection_percent?: UInt32Value;
}
export interface HttpProtocolOptions {
  readonly common_http_protocol_options?: { readonly idle_timeout?: Duration; readonly max_requests_per_connection?: UInt32Value };
  /** Which protocol to speak upstream; HTTP/1.1 when absent. */
  readonly explicit_http_config?: { readonly http_protocol_options?: Record<string, unknown>; readonly http2_protocol_options?: Record<string, unknown> };
}

// === ClusterLoadAssignment ===

export interface ClusterLoadAssignment {
  readonly cluster_name?: string;
  readonly endpoints?: readonly LocalityLbEndpoints[];
}
export interface LocalityLbEndpoints {
  readonly locality?: { readonly region?: string; readonly zone?: string; readonly sub_zone?: string };
  readonly load_balancing_weight?: UInt32Value;
  readonly lb_endpoints?: readonly LbEndpoint[];
}
export interface LbEndpoint {
  readonly endpoint?: { readonly address?: Address };
  readonly health_status?: string;
  readonly load_balancing_weight?: UInt32Value;
}

export type XdsType = 'CDS' | 'EDS' | 'LDS' | 'RDS';

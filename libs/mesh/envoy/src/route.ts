/** `envoy.config.route.v3`: RouteConfiguration, VirtualHost, Route and their parts. */
import type {
  Any,
  BoolValue,
  DataSource,
  Duration,
  HeaderValueOption,
  Metadata,
  RegexMatcher,
  RuntimeFractionalPercent,
  StringMatcher,
  UInt32Value,
} from './core';
import type { RouteRateLimit } from './ratelimit';

/** The header add/remove lists shared by RouteConfiguration, VirtualHost, Route and ClusterWeight. */
export type HeaderMutations = {
  request_headers_to_add?: HeaderValueOption[];
  request_headers_to_remove?: string[];
  response_headers_to_add?: HeaderValueOption[];
  response_headers_to_remove?: string[];
};

/** envoy.config.route.v3.RouteConfiguration (the RDS resource). */
export type RouteConfiguration = HeaderMutations & {
  name?: string;
  virtual_hosts?: VirtualHost[];
  validate_clusters?: BoolValue;
};

export type VirtualHost = HeaderMutations & {
  name?: string;
  domains?: string[];
  routes?: Route[];
  /** `ALL`: a request not over TLS gets a 301 to `https://` (Istio's Gateway `tls.httpsRedirect`). */
  require_tls?: 'NONE' | 'EXTERNAL_ONLY' | 'ALL';
  typed_per_filter_config?: TypedPerFilterConfig;
  /** Descriptors for the global rate limit filter (a route's own replace them). */
  rate_limits?: RouteRateLimit[];
};

/**
 * Per-filter config of a virtual host, route or weighted cluster, by HTTP filter name: the filter's
 * own message (`HttpFault` for `envoy.filters.http.fault`) or a `FilterConfig` wrapper, told apart by `@type`.
 */
export type TypedPerFilterConfig = { [filter: string]: Any };

export type Decorator = { operation?: string };

/** envoy.config.route.v3.Route: `match` and one action of route | redirect | direct_response. */
export type Route = HeaderMutations & {
  name?: string;
  match?: RouteMatch;
  route?: RouteAction;
  redirect?: RedirectAction;
  direct_response?: DirectResponseAction;
  typed_per_filter_config?: TypedPerFilterConfig;
  /** `filter_metadata.istio.config` names the VirtualService the route came from. */
  metadata?: Metadata;
  decorator?: Decorator;
};

/** envoy.config.route.v3.HeaderMatcher (`string_match`, or the legacy `*_match` fields). */
export type HeaderMatcher = {
  name?: string;
  string_match?: StringMatcher;
  exact_match?: string;
  prefix_match?: string;
  suffix_match?: string;
  contains_match?: string;
  safe_regex_match?: RegexMatcher;
  present_match?: boolean;
  invert_match?: boolean;
};
export type QueryParameterMatcher = { name?: string; string_match?: StringMatcher; present_match?: boolean };

/** envoy.config.route.v3.RouteMatch: one of prefix | path | safe_regex | path_separated_prefix. */
export type RouteMatch = {
  prefix?: string;
  path?: string;
  safe_regex?: RegexMatcher;
  path_separated_prefix?: string;
  case_sensitive?: BoolValue;
  headers?: HeaderMatcher[];
  query_parameters?: QueryParameterMatcher[];
};

/** WeightedCluster.ClusterWeight: one entry of a traffic split. */
export type ClusterWeight = HeaderMutations & { name?: string; weight?: UInt32Value; typed_per_filter_config?: TypedPerFilterConfig };
export type WeightedCluster = { clusters?: ClusterWeight[]; total_weight?: UInt32Value };

export type RetryHostPredicate = { name?: string; typed_config?: Any };
export type RetryBackOff = { base_interval?: Duration; max_interval?: Duration };
export type RetryPolicy = {
  retry_on?: string;
  num_retries?: UInt32Value;
  per_try_timeout?: Duration;
  retriable_status_codes?: number[];
  retry_host_predicate?: RetryHostPredicate[];
  host_selection_retry_max_attempts?: number;
  retry_back_off?: RetryBackOff;
};

/** RouteAction.HashPolicy: one of header | cookie | connection_properties | query_parameter. */
export type HashPolicy = {
  header?: { header_name?: string };
  cookie?: { name?: string; ttl?: Duration; path?: string };
  connection_properties?: { source_ip?: boolean };
  query_parameter?: { name?: string };
  terminal?: boolean;
};

export type RequestMirrorPolicy = { cluster?: string; runtime_fraction?: RuntimeFractionalPercent };
export type RegexMatchAndSubstitute = { pattern?: RegexMatcher; substitution?: string };
export type MaxStreamDuration = { max_stream_duration?: Duration; grpc_timeout_header_max?: Duration };

/** envoy.config.route.v3.RouteAction: `cluster` or `weighted_clusters`, plus policies. */
export type RouteAction = {
  cluster?: string;
  weighted_clusters?: WeightedCluster;
  timeout?: Duration;
  idle_timeout?: Duration;
  prefix_rewrite?: string;
  regex_rewrite?: RegexMatchAndSubstitute;
  host_rewrite_literal?: string;
  retry_policy?: RetryPolicy;
  request_mirror_policies?: RequestMirrorPolicy[];
  hash_policy?: HashPolicy[];
  max_stream_duration?: MaxStreamDuration;
  rate_limits?: RouteRateLimit[];
};

export type RedirectResponseCode = 'MOVED_PERMANENTLY' | 'FOUND' | 'SEE_OTHER' | 'TEMPORARY_REDIRECT' | 'PERMANENT_REDIRECT';
export type RedirectAction = {
  scheme_redirect?: string;
  https_redirect?: boolean;
  host_redirect?: string;
  port_redirect?: number;
  path_redirect?: string;
  prefix_rewrite?: string;
  strip_query?: boolean;
  response_code?: RedirectResponseCode;
};

export type DirectResponseAction = { status?: number; body?: DataSource };

/**
 * The typed_config payloads Trellis emits or accepts (`envoy.extensions.*`): network filters, HTTP
 * filters, retry predicates. Each carries its `@type` literal (type-urls.ts); unknown `@type`s are
 * plain `Any` and NACKed by the proxy.
 */
import type { Any, BoolValue, ConfigSource, Duration, FractionalPercent, HeaderValueOption, Http1ProtocolOptions, RuntimeFractionalPercent, UInt32Value } from './core';
import type { AccessLogFilter, HcmTracing } from './observability';
import type { RouteConfiguration } from './route';
import type { FAULT_TYPE, HCM_TYPE, LOCAL_RATE_LIMIT_TYPE, PREVIOUS_HOSTS_TYPE, ROUTER_TYPE, TCP_PROXY_TYPE } from './type-urls';

/**
 * One HTTP filter of an HttpConnectionManager (`envoy.filters.http.fault`, `envoy.filters.http.router`).
 * `is_optional`: a proxy that does not know the filter's type skips it instead of rejecting the listener.
 */
export type HttpFilter = { name?: string; typed_config?: Any; is_optional?: boolean };

/** envoy.config.accesslog.v3.AccessLog. */
export type AccessLog = { name?: string; typed_config?: Any; filter?: AccessLogFilter };

/** HttpConnectionManager.Rds: the route configuration fetched over ADS. */
export type Rds = { route_config_name?: string; config_source?: ConfigSource };

/** envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager. */
export type HttpConnectionManager = {
  '@type': typeof HCM_TYPE;
  stat_prefix?: string;
  codec_type?: 'AUTO' | 'HTTP1' | 'HTTP2';
  /** Either `rds` or an inline `route_config`. */
  rds?: Rds;
  route_config?: RouteConfiguration;
  http_filters?: HttpFilter[];
  access_log?: AccessLog[];
  /** Spans for requests through this HCM (observability.ts). */
  tracing?: HcmTracing;
  generate_request_id?: BoolValue;
  use_remote_address?: BoolValue;
  max_request_headers_kb?: UInt32Value;
  /** Downstream HTTP/1 options (`default_host_for_http_10`). */
  http_protocol_options?: Http1ProtocolOptions;
  /**
   * What to do with `x-forwarded-client-cert` (Envoy's default SANITIZE). Istio's sidecar inbound sets
   * APPEND_FORWARD: on an mTLS connection the peer's details are appended; on any other connection Envoy
   * removes a client-supplied XFCC (ConnectionManagerUtility::mutateXfccRequestHeader), as SANITIZE would.
   */
  forward_client_cert_details?: ForwardClientCertDetails;
  /** Which peer certificate fields the appended XFCC element carries (`By` and `Hash` always). */
  set_current_client_cert_details?: SetCurrentClientCertDetails;
  /** The `server` response header (Envoy: `envoy`; istiod: `istio-envoy` on inbound and gateway HCMs). */
  server_name?: string;
  /** OVERWRITE (default): always `server_name`; APPEND_IF_ABSENT: only when the upstream sent none; PASS_THROUGH: never. */
  server_header_transformation?: 'OVERWRITE' | 'APPEND_IF_ABSENT' | 'PASS_THROUGH';
};

/** HttpConnectionManager.ForwardClientCertDetails. */
export type ForwardClientCertDetails = 'SANITIZE' | 'FORWARD_ONLY' | 'APPEND_FORWARD' | 'SANITIZE_SET' | 'ALWAYS_FORWARD_ONLY';

/** HttpConnectionManager.SetCurrentClientCertDetails (`subject` is a BoolValue in the proto, the others plain bools). */
export type SetCurrentClientCertDetails = { subject?: BoolValue; cert?: boolean; chain?: boolean; dns?: boolean; uri?: boolean };

/** TcpProxy.WeightedCluster.ClusterWeight (a plain uint32 weight, unlike the route's wrapper). */
export type TcpClusterWeight = { name?: string; weight?: number };
/**
 * envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy: `cluster` or `weighted_clusters` (Istio's
 * TCP traffic shifting); `idle_timeout` defaults to 1 h (0 disables); `max_connect_attempts` to 1.
 */
export type TcpProxy = {
  '@type': typeof TCP_PROXY_TYPE;
  stat_prefix?: string;
  cluster?: string;
  weighted_clusters?: { clusters?: TcpClusterWeight[] };
  idle_timeout?: Duration;
  max_connect_attempts?: UInt32Value;
  access_log?: AccessLog[];
};

/** envoy.extensions.filters.http.router.v3.Router (no fields used). */
export type Router = { '@type': typeof ROUTER_TYPE };

/** envoy.extensions.filters.common.fault.v3.FaultDelay. */
export type FaultDelay = { fixed_delay?: Duration; percentage?: FractionalPercent };
/** envoy.extensions.filters.http.fault.v3.FaultAbort: `http_status` or `grpc_status`. */
export type FaultAbort = { http_status?: number; grpc_status?: number; percentage?: FractionalPercent };
/**
 * envoy.extensions.filters.http.fault.v3.HTTPFault: empty in `http_filters`, the route's fault in
 * `typed_per_filter_config["envoy.filters.http.fault"]`.
 */
export type HttpFault = { '@type': typeof FAULT_TYPE; delay?: FaultDelay; abort?: FaultAbort };

/** envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate (no fields). */
export type PreviousHostsPredicate = { '@type': typeof PREVIOUS_HOSTS_TYPE };

/** envoy.type.v3.TokenBucket. */
export type TokenBucket = { max_tokens?: number; tokens_per_fill?: UInt32Value; fill_interval?: Duration };
/** envoy.type.v3.HttpStatus: the code as its StatusCode enum name (`TooManyRequests`) or number. */
export type HttpStatus = { code?: string | number };
/**
 * envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: a token bucket in `http_filters`
 * (and/or per route in `typed_per_filter_config`). `filter_enabled`/`filter_enforced` default to 0%.
 */
export type LocalRateLimit = {
  '@type': typeof LOCAL_RATE_LIMIT_TYPE;
  stat_prefix?: string;
  status?: HttpStatus;
  token_bucket?: TokenBucket;
  filter_enabled?: RuntimeFractionalPercent;
  filter_enforced?: RuntimeFractionalPercent;
  request_headers_to_add_when_not_enforced?: HeaderValueOption[];
  response_headers_to_add?: HeaderValueOption[];
  /** Per-descriptor buckets: the route's `rate_limits` of this `stage` build the request's descriptors. */
  descriptors?: LocalRateLimitDescriptor[];
  stage?: number;
  /** `DRAFT_VERSION_03`: x-ratelimit-limit / -remaining / -reset on every response. */
  enable_x_ratelimit_headers?: 'OFF' | 'DRAFT_VERSION_03';
  /** Whether the virtual host's rate_limits count (Trellis: OVERRIDE, the default — the route's replace them). */
  vh_rate_limits?: 'OVERRIDE' | 'INCLUDE' | 'IGNORE';
};
/** envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor: exact entries and their own bucket. */
export type LocalRateLimitDescriptor = { entries?: { key?: string; value?: string }[]; token_bucket?: TokenBucket };

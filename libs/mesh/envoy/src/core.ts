/**
 * Common Envoy v3 / protobuf messages (`envoy.config.core.v3`, `envoy.type.v3`, `google.protobuf`)
 * in the contract shape of docs/xds-resources.md: snake_case proto field names, `Any` as
 * `{ '@type', ...fields }`, Durations as `{seconds, nanos}`, wrappers as `{value}`, enums as names.
 *
 * Proto3 fields are optional, so every field is; what Trellis requires is checked where a resource is
 * consumed (the proxy's compilers NACK), not by these types. They are `type` aliases (not interfaces)
 * on purpose: object type literals are assignable to `Record<string, unknown>`, the ADS server's
 * "any resource" type.
 */

/** google.protobuf.Duration. */
export type Duration = { seconds?: number; nanos?: number };
/** google.protobuf.UInt32Value (also UInt64Value: 64-bit ints are numbers). */
export type UInt32Value = { value?: number };
/** google.protobuf.BoolValue. */
export type BoolValue = { value?: boolean };

/**
 * google.protobuf.Any: the packed message's fields beside its `@type`. Messages Trellis knows by
 * type are declared with `'@type': typeof SOME_TYPE` (type-urls.ts) and are assignable to this.
 */
export type Any = { '@type': string; [field: string]: unknown };

/** envoy.type.v3.FractionalPercent. */
export type FractionalPercent = { numerator?: number; denominator?: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION' };
/** envoy.config.core.v3.RuntimeFractionalPercent (only the default is used). */
export type RuntimeFractionalPercent = { default_value?: FractionalPercent; runtime_key?: string };

export type SocketAddress = { address?: string; port_value?: number; protocol?: 'TCP' | 'UDP' };
export type Address = { socket_address?: SocketAddress };

/** Istio's `filter_metadata.istio`: the config that produced a resource, a cluster's services/subset. */
export type IstioFilterMetadata = {
  /** `/apis/networking.istio.io/v1/namespaces/<ns>/<kind>/<name>` */
  config?: string;
  services?: { host?: string; name?: string; namespace?: string }[];
  subset?: string;
  /**
   * An endpoint's workload for telemetry, as istiod compresses it:
   * `<workload>;<namespace>;<canonical service>;<canonical revision>;<cluster>`.
   */
  workload?: string;
};
/** envoy.config.core.v3.Metadata. */
export type Metadata = {
  filter_metadata?: { istio?: IstioFilterMetadata; [namespace: string]: Record<string, unknown> | undefined };
};

export type ApiVersion = 'AUTO' | 'V2' | 'V3';
/** envoy.config.core.v3.ConfigSource; Trellis only uses ADS (`{ ads: {}, resource_api_version: 'V3' }`). */
export type ConfigSource = { ads?: Record<string, never>; resource_api_version?: ApiVersion; initial_fetch_timeout?: Duration };

/** envoy.config.core.v3.DataSource: a file Envoy reads (`filename`, e.g. a CA bundle) or inline text. */
/**
 * envoy.config.core.v3.DataSource. `inline_bytes` is written as base64 (proto3 JSON: what the control
 * plane encodes from) and read back as bytes by the proxy's wire decoder.
 */
export type DataSource = { filename?: string; inline_string?: string; inline_bytes?: string | Uint8Array };

export type HeaderValue = { key?: string; value?: string };
export type HeaderAppendAction = 'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';
/** envoy.config.core.v3.HeaderValueOption (`append` is the deprecated form of `append_action`). */
export type HeaderValueOption = { header?: HeaderValue; append?: BoolValue; append_action?: HeaderAppendAction };

/** envoy.config.core.v3.RoutingPriority. */
export type RoutingPriority = 'DEFAULT' | 'HIGH';

/** envoy.config.core.v3.HealthStatus (a string in the model: received values may be any name). */
export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

/** envoy.config.core.v3.HttpProtocolOptions (common to HTTP/1.1 and HTTP/2 upstreams). */
export type CommonHttpProtocolOptions = { idle_timeout?: Duration; max_requests_per_connection?: UInt32Value };
/**
 * envoy.config.core.v3.UpstreamHttpProtocolOptions: `auto_sni` sends the request's host as SNI (one
 * pool per SNI); `auto_san_validation` verifies the upstream certificate against that host.
 */
export type UpstreamHttpProtocolOptions = { auto_sni?: boolean; auto_san_validation?: boolean };
/**
 * envoy.config.core.v3.Http1ProtocolOptions. `default_host_for_http_10`: the Host an HTTP/1.0 request
 * without one gets (in an HCM's `http_protocol_options`); without it such a request is a 400.
 */
export type Http1ProtocolOptions = { accept_http_10?: boolean; default_host_for_http_10?: string };
/** envoy.config.core.v3.Http2ProtocolOptions. */
export type Http2ProtocolOptions = { max_concurrent_streams?: UInt32Value };

/** envoy.type.matcher.v3.RegexMatcher (RE2 syntax). */
export type RegexMatcher = { regex?: string };
/** envoy.type.matcher.v3.StringMatcher: one of exact | prefix | suffix | contains | safe_regex. */
export type StringMatcher = {
  exact?: string;
  prefix?: string;
  suffix?: string;
  contains?: string;
  safe_regex?: RegexMatcher;
  ignore_case?: boolean;
};

/**
 * Telemetry as istiod writes it into listeners (pilot/pkg/networking/core/tracing.go, accesslog.go,
 * extension/stats): file access logs on every HCM and tcp_proxy and the HCM's `tracing` (Zipkin or
 * OpenTelemetry provider).
 * Field names as in the .proto files. One model, shared by translate, the proxy and the CLI.
 */
import type { Duration, UInt32Value } from './core';
import type {
  FILE_ACCESS_LOG_TYPE,
  OPENTELEMETRY_TRACER_TYPE,
  ZIPKIN_TRACER_TYPE,
} from './type-urls';

/** envoy.config.core.v3.SubstitutionFormatString: Envoy's command operators (`%START_TIME%`, `%RESPONSE_CODE%`, …). */
export type SubstitutionFormatString = {
  text_format_source?: { inline_string?: string };
  json_format?: Record<string, unknown>;
  omit_empty_values?: boolean;
};

/** envoy.extensions.access_loggers.file.v3.FileAccessLog: `path` (`/dev/stdout`), Envoy's default TEXT format when no log_format. */
export type FileAccessLog = { '@type': typeof FILE_ACCESS_LOG_TYPE; path?: string; log_format?: SubstitutionFormatString };

/**
 * envoy.config.accesslog.v3.AccessLogFilter, the forms Istio's Telemetry `filter.expression` maps to:
 * istiod emits a CEL `extension_filter`; a proxy may also accept `status_code_filter`.
 */
export type AccessLogFilter = {
  status_code_filter?: { comparison?: { op?: 'EQ' | 'GE' | 'LE'; value?: { default_value?: number; runtime_key?: string } } };
  /** envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter in an Any (`expression`: CEL text). */
  extension_filter?: { name?: string; typed_config?: { '@type': string; expression?: string } };
};

/** envoy.config.trace.v3.ZipkinConfig: spans to `collector_cluster` at `collector_endpoint` (`/api/v2/spans`, HTTP_JSON). */
export type ZipkinConfig = {
  '@type': typeof ZIPKIN_TRACER_TYPE;
  collector_cluster?: string;
  collector_endpoint?: string;
  trace_id_128bit?: boolean;
  shared_span_context?: { value?: boolean };
  collector_endpoint_version?: 'HTTP_JSON' | 'HTTP_PROTO' | 'GRPC';
  collector_hostname?: string;
};

/** envoy.config.trace.v3.OpenTelemetryConfig with an http_service (OTLP/HTTP). */
export type OpenTelemetryConfig = {
  '@type': typeof OPENTELEMETRY_TRACER_TYPE;
  http_service?: { http_uri?: { uri?: string; cluster?: string; timeout?: Duration } };
  grpc_service?: { envoy_grpc?: { cluster_name?: string; authority?: string } };
  service_name?: string;
};

/** envoy.type.tracing.v3.CustomTag: a span tag from a literal, an environment variable or a request header. */
export type CustomTag = {
  tag?: string;
  literal?: { value?: string };
  environment?: { name?: string; default_value?: string };
  request_header?: { name?: string; default_value?: string };
};

/**
 * HttpConnectionManager.Tracing: the provider and how many requests start a trace. Percent is
 * `{ value: 0..100 }`; Envoy samples `random_sampling` of requests without a sampling decision.
 */
export type HcmTracing = {
  provider?: { name?: string; typed_config?: ZipkinConfig | OpenTelemetryConfig };
  client_sampling?: { value?: number };
  random_sampling?: { value?: number };
  overall_sampling?: { value?: number };
  verbose?: boolean;
  max_path_tag_length?: UInt32Value;
  custom_tags?: CustomTag[];
  spawn_upstream_span?: { value?: boolean };
};

/**
 * One metric override of Istio's stats filter (istio/proxy stats.PluginConfig.MetricConfig), as the
 * Telemetry API's `metrics.overrides` become: `name` without the `istio_` prefix (`requests_total`;
 * empty = every metric), `drop`, tags removed, or tags set to a CEL expression.
 */
export type IstioMetricOverride = { name?: string; drop?: boolean; tags_to_remove?: string[]; dimensions?: Record<string, string> };

import { OPENTELEMETRY_TRACER_NAME, ZIPKIN_TRACER_NAME } from '@trellis/mesh-envoy';
import type { HttpConnectionManager } from '../config/envoy-types';
import { KNOWN_TYPES, durationMs, invalid } from '../config/proto';
import { type CompiledCustomTag, compileCustomTags } from './custom-tags';
import type { CollectorTarget } from './reporter';
import type { SamplingRates } from './sampling';
import type { SpanRecord } from './span-context';
import type { TagList } from './tag-list';

type HcmTracing = NonNullable<HttpConnectionManager['tracing']>;

/** Where a compiled HCM's finished spans go (a shared SpanReporter, or nowhere in unit tests). */
export interface SpanSink {
  /** Serialises the span at once: `tags` is only valid during the call. */
  report(span: SpanRecord, tags: TagList): void;
}

/** Gives the reporter for a collector; the proxy's TracerRegistry shares one per collector. */
export type SinkFactory = (target: CollectorTarget) => SpanSink;

/** HttpConnectionManager.tracing compiled: the provider, the sampling rates, the tags to add. */
export interface TracingConfig {
  readonly driver: 'zipkin' | 'opentelemetry';
  /** The OpenTelemetry tracer reads traceparent before B3; Zipkin the other way round. */
  readonly w3cFirst: boolean;
  /** New traces get 128-bit ids (Zipkin trace_id_128bit; always for OpenTelemetry). */
  readonly traceId128: boolean;
  readonly rates: SamplingRates;
  /** http.url keeps at most this many path characters (Envoy's default 256). */
  readonly maxPathTagLength: number;
  readonly customTags: readonly CompiledCustomTag[];
  readonly sink: SpanSink;
}

const DEFAULT_MAX_PATH_TAG_LENGTH = 256;
const DEFAULT_TIMEOUT_MS = 5000;

/** Percent (0..100, default 100 as Envoy's) → units of 1/10000. */
function rate(resource: string, field: string, p: { value?: number } | undefined): number {
  const v = p?.value ?? 100;
  if (typeof v !== 'number' || !(v >= 0 && v <= 100)) throw invalid(resource, `tracing.${field} ${String(v)} out of range 0..100`);
  return Math.round(v * 100);
}

/** `undefined` when the HCM has no tracing or no provider (Envoy: no tracer, no spans, no cost). */
export function compileTracing(resource: string, t: HcmTracing | undefined, sinks: SinkFactory): TracingConfig | undefined {
  const provider = t?.provider;
  if (t === undefined || provider === undefined) return undefined;
  const target = collectorTarget(resource, provider);
  const max = t.max_path_tag_length?.value ?? DEFAULT_MAX_PATH_TAG_LENGTH;
  const typed = provider.typed_config as { trace_id_128bit?: boolean } | undefined;
  return {
    driver: target.driver,
    w3cFirst: target.driver === 'opentelemetry',
    traceId128: target.driver === 'opentelemetry' || typed?.trace_id_128bit === true,
    rates: {
      client: rate(resource, 'client_sampling', t.client_sampling),
      random: rate(resource, 'random_sampling', t.random_sampling),
      overall: rate(resource, 'overall_sampling', t.overall_sampling),
    },
    maxPathTagLength: max,
    customTags: compileCustomTags(resource, t.custom_tags, process.env),
    sink: sinks(target),
  };
}

function collectorTarget(resource: string, provider: NonNullable<HcmTracing['provider']>): CollectorTarget {
  const config = provider.typed_config;
  const type = config?.['@type'];
  if (provider.name === ZIPKIN_TRACER_NAME || type === KNOWN_TYPES.zipkinTracer) {
    if (type !== KNOWN_TYPES.zipkinTracer) throw invalid(resource, `tracing.provider ${String(provider.name)}: typed_config must be ${KNOWN_TYPES.zipkinTracer}`);
    return zipkinTarget(resource, config as ZipkinLike);
  }
  if (provider.name === OPENTELEMETRY_TRACER_NAME || type === KNOWN_TYPES.openTelemetryTracer) {
    if (type !== KNOWN_TYPES.openTelemetryTracer) throw invalid(resource, `tracing.provider ${String(provider.name)}: typed_config must be ${KNOWN_TYPES.openTelemetryTracer}`);
    return otelTarget(resource, config as OtelLike);
  }
  throw invalid(resource, `tracing.provider ${String(provider.name)} (${String(type)}) is not supported: ${ZIPKIN_TRACER_NAME} or ${OPENTELEMETRY_TRACER_NAME}`);
}

type ZipkinLike = { collector_cluster?: string; collector_endpoint?: string; collector_endpoint_version?: string; collector_hostname?: string };
type OtelLike = {
  http_service?: { http_uri?: { uri?: string; cluster?: string; timeout?: Parameters<typeof durationMs>[0] } };
  grpc_service?: unknown;
  service_name?: string;
};

function zipkinTarget(resource: string, z: ZipkinLike): CollectorTarget {
  const cluster = z.collector_cluster ?? '';
  if (cluster === '') throw invalid(resource, 'tracing.provider.typed_config.collector_cluster is required');
  const version = z.collector_endpoint_version ?? 'HTTP_JSON';
  if (version !== 'HTTP_JSON') throw invalid(resource, `tracing.provider.typed_config.collector_endpoint_version ${version} is not supported: HTTP_JSON`);
  const path = z.collector_endpoint || '/api/v2/spans';
  return { driver: 'zipkin', cluster, path, host: z.collector_hostname || cluster, timeoutMs: DEFAULT_TIMEOUT_MS };
}

function otelTarget(resource: string, o: OtelLike): CollectorTarget {
  const uri = o.http_service?.http_uri;
  if (uri === undefined) {
    const why = o.grpc_service !== undefined ? 'grpc_service (OTLP/gRPC) is not supported: use http_service (OTLP/HTTP)' : 'http_service is required';
    throw invalid(resource, `tracing.provider.typed_config.${why}`);
  }
  const cluster = uri.cluster ?? '';
  if (cluster === '') throw invalid(resource, 'tracing.provider.typed_config.http_service.http_uri.cluster is required');
  let url: URL;
  try {
    url = new URL(uri.uri ?? '');
  } catch {
    throw invalid(resource, `tracing.provider.typed_config.http_service.http_uri.uri ${JSON.stringify(uri.uri)} is not a URL`);
  }
  const path = url.pathname === '/' ? '/v1/traces' : url.pathname + url.search;
  const timeoutMs = durationMs(uri.timeout) ?? DEFAULT_TIMEOUT_MS;
  return { driver: 'opentelemetry', cluster, path, host: url.host || cluster, timeoutMs, serviceName: o.service_name };
}

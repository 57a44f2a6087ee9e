import {
  OPENTELEMETRY_TRACER_NAME,
  OPENTELEMETRY_TRACER_TYPE,
  ZIPKIN_TRACER_NAME,
  ZIPKIN_TRACER_TYPE,
  type HcmTracing,
  type OpenTelemetryConfig,
  type ZipkinConfig,
} from '@trellis/mesh-envoy';
import type { ExtensionProvider, OpenTelemetryProvider, ZipkinProvider } from '@trellis/mesh-api';
import type { TranslateContext } from '../context';
import { toDuration } from '../durations';
import { lookupProviderCluster } from './provider-cluster';

/** istiod's zipkinConfig (collector cluster form): v2 JSON spans at `/api/v2/spans`, 128-bit trace ids, no shared span context. */
export function zipkinConfig(hostname: string, cluster: string, path: string | undefined): ZipkinConfig {
  return {
    '@type': ZIPKIN_TRACER_TYPE,
    collector_cluster: cluster,
    collector_endpoint: path === undefined || path === '' ? '/api/v2/spans' : path,
    trace_id_128bit: true,
    shared_span_context: { value: false },
    collector_endpoint_version: 'HTTP_JSON',
    collector_hostname: hostname,
  };
}

/** Envoy's service name for spans: the node cluster istiod's injector sets (`<canonical name>.<namespace>`). */
export function serviceCluster(ctx: TranslateContext): string {
  const l = ctx.proxy.labels;
  const name = l['service.istio.io/canonical-name'] ?? l['app.kubernetes.io/name'] ?? l['app'] ?? ctx.proxy.workloadName;
  return `${name}.${ctx.proxy.namespace}`;
}

/**
 * OTLP/HTTP only: istiod writes `grpc_service` for a provider without `http`, which Trellis's proxy does
 * not speak (it would NACK the listener and keep stale config), so such a provider configures no tracing,
 * as istiod does for a provider it cannot build.
 */
function otelConfig(ctx: TranslateContext, p: OpenTelemetryProvider, hostname: string, cluster: string): OpenTelemetryConfig | undefined {
  const base = { '@type': OPENTELEMETRY_TRACER_TYPE, service_name: serviceCluster(ctx) } as const;
  if (p.http === undefined) return undefined;
  const path = (p.http.path ?? '').replace(/^\/+/, '');
  const timeout = toDuration(p.http.timeout);
  return { ...base, http_service: { http_uri: { uri: path === '' ? hostname : `${hostname}/${path}`, cluster, ...(timeout === undefined ? {} : { timeout }) } } };
}

type Found = { name: string; typed: ZipkinConfig | OpenTelemetryConfig; maxTagLength: number | undefined };

function providerConfig(ctx: TranslateContext, p: ExtensionProvider): Found | undefined {
  const def: ZipkinProvider | OpenTelemetryProvider | undefined = p.zipkin ?? p.opentelemetry;
  if (def === undefined) return undefined; // istiod: "provider … does not support tracing"
  const found = lookupProviderCluster(ctx, def.service, def.port);
  if (found === undefined) return undefined;
  if (p.zipkin !== undefined) return { name: ZIPKIN_TRACER_NAME, typed: zipkinConfig(found.hostname, found.cluster, p.zipkin.path), maxTagLength: p.zipkin.maxTagLength };
  const otel = otelConfig(ctx, p.opentelemetry as OpenTelemetryProvider, found.hostname, found.cluster);
  return otel === undefined ? undefined : { name: OPENTELEMETRY_TRACER_NAME, typed: otel, maxTagLength: undefined };
}

/**
 * istiod's configureFromProviderConfig + buildHCMTracing: the HCM `tracing` for a Zipkin or
 * OpenTelemetry provider (gateways spawn an upstream span). undefined when the provider cannot trace
 * or its service is unknown: istiod then configures no tracing.
 */
export function providerTracing(ctx: TranslateContext, p: ExtensionProvider): HcmTracing | undefined {
  const found = providerConfig(ctx, p);
  if (found === undefined) return undefined;
  return {
    ...(ctx.proxy.type === 'router' ? { spawn_upstream_span: { value: true } } : {}),
    provider: { name: found.name, typed_config: found.typed },
    ...(found.maxTagLength !== undefined && found.maxTagLength !== 0 ? { max_path_tag_length: { value: found.maxTagLength } } : {}),
  };
}

import type { FinishedSpan, LocalEndpoint, SpanFormat, SpanRecord } from './span-context';
import { TagList, jsonKey, jsonString } from './tag-list';

/**
 * OTLP/HTTP JSON (`POST /v1/traces`, ExportTraceServiceRequest): one resource (service.name = the
 * node cluster, as Envoy's OpenTelemetry tracer sets it), one scope `envoy`, spans with hex ids,
 * kind SPAN_KIND_SERVER (2) / SPAN_KIND_CLIENT (3), times as nanosecond strings, status ERROR (2)
 * when the span is tagged error. The envelope is built once per reporter; a span is one string.
 */
const KIND = { SERVER: 2, CLIENT: 3 } as const;

export function otlpFormat(local: LocalEndpoint, serviceName: string | undefined): SpanFormat {
  const service = serviceName !== undefined && serviceName !== '' ? serviceName : local.serviceName || 'unknown_service:envoy';
  const prefix = `{"resourceSpans":[{"resource":{"attributes":[${attr('service.name', service)}]},"scopeSpans":[{"scope":{"name":"envoy"},"spans":[`;
  return { prefix, suffix: ']}]}]}', span: otlpSpan };
}

function otlpSpan(s: SpanRecord, tags: TagList): string {
  const startUs = Math.trunc(s.timestampUs);
  const endUs = startUs + Math.max(1, Math.trunc(s.durationUs));
  const traceId = s.traceId.length === 16 ? `0000000000000000${s.traceId}` : s.traceId;
  let out = `{"traceId":"${traceId}","spanId":"${s.id}",`;
  if (s.parentId !== undefined) out += `"parentSpanId":"${s.parentId}",`;
  out += `"name":${jsonString(s.name)},"kind":${KIND[s.kind]},"startTimeUnixNano":"${startUs}000","endTimeUnixNano":"${endUs}000"`;
  if (s.traceState !== undefined) out += `,"traceState":${JSON.stringify(s.traceState)}`;
  if (tags.get('error') === 'true') out += ',"status":{"code":2}';
  out += ',"attributes":[';
  for (let i = 0; i < tags.length; i++) {
    if (i > 0) out += ',';
    out += `{"key":${jsonKey(tags.keys[i] as string)},"value":{"stringValue":${jsonString(tags.values[i] as string)}}}`;
  }
  return `${out}]}`;
}

/** A whole request body at once (tests and tools): the same bytes the reporter sends for these spans. */
export function otlpJson(spans: readonly FinishedSpan[], local: LocalEndpoint, serviceName: string | undefined): string {
  const f = otlpFormat(local, serviceName);
  return f.prefix + spans.map((s) => f.span(s, TagList.from(s.tags))).join(',') + f.suffix;
}

function attr(key: string, value: string): string {
  return `{"key":${JSON.stringify(key)},"value":{"stringValue":${JSON.stringify(value)}}}`;
}

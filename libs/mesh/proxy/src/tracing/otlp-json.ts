import type { FinishedSpan, LocalEndpoint } from './span-context';

/**
 * OTLP/HTTP JSON (`POST /v1/traces`, ExportTraceServiceRequest): one resource (service.name = the
 * node cluster, as Envoy's OpenTelemetry tracer sets it), one scope `envoy`, spans with hex ids,
 * kind SPAN_KIND_SERVER (2) / SPAN_KIND_CLIENT (3), times as nanosecond strings, status ERROR (2)
 * when the span is tagged error.
 */
const KIND = { SERVER: 2, CLIENT: 3 } as const;

export function otlpJson(spans: readonly FinishedSpan[], local: LocalEndpoint, serviceName: string | undefined): string {
  const service = serviceName !== undefined && serviceName !== '' ? serviceName : local.serviceName || 'unknown_service:envoy';
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', service)] },
        scopeSpans: [{ scope: { name: 'envoy' }, spans: spans.map(otlpSpan) }],
      },
    ],
  };
  return JSON.stringify(body);
}

function otlpSpan(s: FinishedSpan): Record<string, unknown> {
  const start = BigInt(Math.trunc(s.timestampUs)) * 1000n;
  const end = start + BigInt(Math.max(1, Math.trunc(s.durationUs))) * 1000n;
  const span: Record<string, unknown> = {
    traceId: s.traceId.length === 16 ? `0000000000000000${s.traceId}` : s.traceId,
    spanId: s.id,
    name: s.name,
    kind: KIND[s.kind],
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    attributes: Object.entries(s.tags).map(([k, v]) => attr(k, v)),
  };
  if (s.parentId !== undefined) span['parentSpanId'] = s.parentId;
  if (s.traceState !== undefined) span['traceState'] = s.traceState;
  if (s.tags['error'] === 'true') span['status'] = { code: 2 };
  return span;
}

function attr(key: string, value: string): { key: string; value: { stringValue: string } } {
  return { key, value: { stringValue: value } };
}

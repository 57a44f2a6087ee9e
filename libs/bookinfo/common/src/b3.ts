/**
 * What productpage's OpenTelemetry B3MultiFormat propagator does: extract the incoming B3 context
 * (multi-header, or the single `b3` header) and inject X-B3-TraceId / X-B3-SpanId / X-B3-Sampled.
 * An invalid or absent context injects nothing; parent span id and flags are not re-emitted.
 */
import type { IncomingHeaders, OutgoingHeaders } from './headers';

const TRACE_ID = /^([0-9a-f]{16}|[0-9a-f]{32})$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const SAMPLED_VALUES = new Set(['1', 'True', 'true', 'd']);

interface B3Context {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

function first(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

function fromSingleHeader(value: string): B3Context | undefined {
  const [traceId, spanId, sampled = ''] = value.trim().split('-');
  if (traceId === undefined || spanId === undefined) return undefined;
  return { traceId, spanId, sampled: SAMPLED_VALUES.has(sampled) };
}

function extract(headers: IncomingHeaders): B3Context | undefined {
  const single = first(headers, 'b3');
  if (single !== undefined) {
    const context = fromSingleHeader(single);
    if (context !== undefined) return context;
  }
  const traceId = first(headers, 'x-b3-traceid');
  const spanId = first(headers, 'x-b3-spanid');
  if (traceId === undefined || spanId === undefined) return undefined;
  const sampled = SAMPLED_VALUES.has(first(headers, 'x-b3-sampled') ?? '') || first(headers, 'x-b3-flags') === '1';
  return { traceId, spanId, sampled };
}

function isValid(context: B3Context): boolean {
  return (
    TRACE_ID.test(context.traceId) &&
    SPAN_ID.test(context.spanId) &&
    !/^0+$/.test(context.traceId) &&
    !/^0+$/.test(context.spanId)
  );
}

export function reinjectB3(headers: IncomingHeaders): OutgoingHeaders {
  const context = extract(headers);
  if (context === undefined || !isValid(context)) return {};
  return {
    'x-b3-traceid': context.traceId.toLowerCase().padStart(32, '0'),
    'x-b3-spanid': context.spanId.toLowerCase(),
    'x-b3-sampled': context.sampled ? '1' : '0',
  };
}

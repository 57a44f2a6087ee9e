import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from '../routing/header-mutation';
import { isHexId } from './ids';
import type { SpanContext } from './span-context';

/**
 * Trace context on the wire: B3 multi-header (`x-b3-traceid`, `x-b3-spanid`, `x-b3-parentspanid`,
 * `x-b3-sampled`, `x-b3-flags`), B3 single (`b3: {traceid}-{spanid}[-{sampled}[-{parent}]]`, or just
 * the sampling state) and W3C `traceparent: 00-{traceid}-{parent}-{flags}`. Zipkin reads B3 first
 * (its SpanContextExtractor), OpenTelemetry reads traceparent first; each falls back to the other so
 * a trace crossing both kinds of client stays one trace. Reading the sampling state costs property
 * lookups only; ids are parsed only for a request that is traced.
 */

/** `w3cFirst`: the OpenTelemetry tracer's order (traceparent, then B3); Zipkin's is B3 first. */
export function incomingSampled(h: IncomingHttpHeaders, w3cFirst: boolean): boolean | undefined {
  if (w3cFirst) return traceparentSampled(h) ?? b3Sampled(h);
  return b3Sampled(h) ?? traceparentSampled(h);
}

function b3Sampled(h: IncomingHttpHeaders): boolean | undefined {
  const single = h['b3'];
  if (typeof single === 'string') return b3SingleSampled(single);
  if (h['x-b3-flags'] === '1') return true; // debug implies accept
  const multi = h['x-b3-sampled'];
  if (typeof multi !== 'string') return undefined;
  return multi === '1' || multi === 'true';
}

/** The sampling field of a single `b3` header (Envoy: by length; `d` is debug = sampled). */
function b3SingleSampled(b3: string): boolean | undefined {
  let c: string;
  if (b3.length === 1) c = b3;
  else if (b3.length === 35 || b3.length === 52) c = b3.charAt(34);
  else if (b3.length === 51 || b3.length === 68) c = b3.charAt(50);
  else return undefined;
  if (c === '0') return false;
  if (c === '1' || c === 'd') return true;
  return undefined;
}

function traceparentSampled(h: IncomingHttpHeaders): boolean | undefined {
  const tp = h['traceparent'];
  if (typeof tp !== 'string' || tp.length !== 55) return undefined;
  const flags = Number.parseInt(tp.slice(53), 16);
  return Number.isNaN(flags) ? undefined : (flags & 1) === 1;
}

/**
 * The caller's span, or `undefined` when the request starts a trace, or `null` when a context is
 * present but malformed (Envoy's ExtractorException: the request gets no span at all).
 */
export function extractContext(h: IncomingHttpHeaders, w3cFirst: boolean): SpanContext | null | undefined {
  if (w3cFirst) {
    const w3c = fromTraceparent(h);
    return w3c === undefined ? fromB3(h) : w3c;
  }
  const b3 = fromB3(h);
  return b3 === undefined ? fromTraceparent(h) : b3;
}

function fromB3(h: IncomingHttpHeaders): SpanContext | null | undefined {
  const single = h['b3'];
  if (typeof single === 'string') {
    if (single.length <= 1) return undefined; // sampling state only
    const [traceId = '', spanId = ''] = single.split('-');
    return context(traceId, spanId);
  }
  const traceId = h['x-b3-traceid'];
  const spanId = h['x-b3-spanid'];
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  return context(traceId, spanId);
}

function context(traceId: string, spanId: string): SpanContext | null {
  if (!(isHexId(traceId, 16) || isHexId(traceId, 32)) || !isHexId(spanId, 16)) return null;
  return { traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase() };
}

function fromTraceparent(h: IncomingHttpHeaders): SpanContext | null | undefined {
  const tp = h['traceparent'];
  if (typeof tp !== 'string') return undefined;
  const parts = tp.split('-');
  if (parts.length < 4 || parts[0] === 'ff' || !/^[0-9a-f]{2}$/.test(parts[0] ?? '') || !/^[0-9a-f]{2}$/.test(parts[3] ?? '')) return null;
  const traceId = parts[1] ?? '';
  const spanId = parts[2] ?? '';
  if (!isHexId(traceId, 32) || !isHexId(spanId, 16) || traceId !== traceId.toLowerCase() || spanId !== spanId.toLowerCase()) return null;
  return { traceId, spanId };
}

/** The span this proxy started, as the next hop reads it. */
export interface OutgoingSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId: string | undefined;
}

/** B3 multi-header, as Envoy's Zipkin tracer injects it (`x-b3-sampled: 1`: only sampled spans exist here). */
export function injectB3(out: HeaderMap, span: OutgoingSpan): void {
  out['x-b3-traceid'] = span.traceId;
  out['x-b3-spanid'] = span.id;
  if (span.parentId !== undefined) out['x-b3-parentspanid'] = span.parentId;
  out['x-b3-sampled'] = '1';
}

/** A single `b3` header, written when the caller used that form (so it never carries a stale parent). */
export function injectB3Single(out: HeaderMap, span: OutgoingSpan): void {
  out['b3'] = span.parentId === undefined ? `${span.traceId}-${span.id}-1` : `${span.traceId}-${span.id}-1-${span.parentId}`;
}

/** W3C traceparent, version 00, sampled; a 64-bit B3 trace id is left-padded to 128 bits. */
export function injectTraceparent(out: HeaderMap, span: OutgoingSpan): void {
  const traceId = span.traceId.length === 16 ? `0000000000000000${span.traceId}` : span.traceId;
  out['traceparent'] = `00-${traceId}-${span.id}-01`;
}

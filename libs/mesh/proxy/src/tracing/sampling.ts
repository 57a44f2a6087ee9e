import type { IncomingHttpHeaders } from 'node:http';
import type { Random } from '../runtime';

/**
 * Envoy's tracing decision (ConnectionManagerUtility::mutateTracingRequestHeader with Istio's
 * UuidRequestIdConfig `use_request_id_for_trace_sampling: true`). The reason is packed into the
 * x-request-id UUID's 15th character (`9` sampled, `a` forced, `b` client; the version `4` = none),
 * so every hop of one request agrees. A request not yet traced is traced when it carries
 * `x-client-trace-id` (client_sampling, a fresh roll), else `x-envoy-force-trace`, else when the
 * request id's first 8 hex digits mod 10000 fall under random_sampling; overall_sampling then caps
 * every reason by the same number. Percentages are kept in units of 1/10000.
 */
export type TraceReason = 'none' | 'sampling' | 'forced' | 'client';

export interface SamplingRates {
  /** Percent × 100 (10000 = 100 %). */
  readonly client: number;
  readonly random: number;
  readonly overall: number;
}

const UUID_LENGTH = 36;
const TRACE_BYTE = 14;
const REASON_CHAR: Record<Exclude<TraceReason, 'none'>, string> = { sampling: '9', forced: 'a', client: 'b' };

/** The reason a request id carries; anything but a 36-character UUID carries none. */
export function traceReasonOf(rid: string): TraceReason {
  if (rid.length !== UUID_LENGTH) return 'none';
  switch (rid.charCodeAt(TRACE_BYTE)) {
    case 0x39 /* 9 */: return 'sampling';
    case 0x61 /* a */: return 'forced';
    case 0x62 /* b */: return 'client';
    default: return 'none';
  }
}

/** The request id with `reason` packed in (unchanged when it is not a UUID). Clearing writes back `4`. */
export function withTraceReason(rid: string, reason: TraceReason): string {
  if (rid.length !== UUID_LENGTH) return rid;
  const c = reason === 'none' ? '4' : REASON_CHAR[reason];
  return rid.charAt(TRACE_BYTE) === c ? rid : rid.slice(0, TRACE_BYTE) + c + rid.slice(TRACE_BYTE + 1);
}

/** First 8 hex digits mod 10000 (Envoy's UUIDRequestIDExtension::getInteger), or -1 when not hex. */
export function requestIdBucket(rid: string): number {
  if (rid.length < 8) return -1;
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const d = hexDigit(rid.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v % 10000;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The decision for one request. `rid` undefined or not hex: no decision (Envoy returns early), the
 * tracer's own sampled flag from the headers still counts. `internal`: x-envoy-force-trace is only
 * honoured from inside the mesh.
 */
export function decideTrace(rid: string | undefined, h: IncomingHttpHeaders, rates: SamplingRates, random: Random, internal: boolean): TraceReason {
  if (rid === undefined) return 'none';
  const bucket = requestIdBucket(rid);
  if (bucket < 0) return 'none';
  let reason = traceReasonOf(rid);
  if (reason === 'none') {
    if (h['x-client-trace-id'] !== undefined && rollPercent(random, rates.client)) reason = 'client';
    else if (internal && h['x-envoy-force-trace'] !== undefined) reason = 'forced';
    else if (bucket < rates.random) reason = 'sampling';
  }
  if (reason !== 'none' && bucket >= rates.overall) reason = 'none';
  return reason;
}

function rollPercent(random: Random, rate: number): boolean {
  return rate >= 10000 || (rate > 0 && random() * 10000 < rate);
}

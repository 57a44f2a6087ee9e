/**
 * `GET /api/v2/traces` as Zipkin defines it (zipkin2.storage.QueryRequest): parameters, their checks,
 * and the per-trace test. endTs/lookback are epoch milliseconds, durations microseconds.
 */
import { TrellisError } from '@trellis/shared';
import { localServiceName, remoteServiceName, type Span } from '../model/span';

export interface QueryRequest {
  readonly serviceName?: string;
  readonly remoteServiceName?: string;
  readonly spanName?: string;
  /** `key` alone matches an annotation value or a tag key (value ""); `key=value` a tag. */
  readonly annotationQuery: ReadonlyMap<string, string>;
  readonly minDuration?: number;
  readonly maxDuration?: number;
  readonly endTs: number;
  readonly lookback: number;
  readonly limit: number;
}

export type QueryParams = Readonly<Record<string, string | undefined>>;

function badQuery(message: string, context: Record<string, unknown> = {}): TrellisError {
  return new TrellisError('QUERY_INVALID', message, context);
}

function positive(params: QueryParams, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n <= 0) throw badQuery(`${name} should be a positive integer`, { [name]: raw });
  return n;
}

/** A name filter: lower-cased as Zipkin stores names; "all" (the UI's wildcard) and "" mean no filter. */
function nameParam(params: QueryParams, name: string): string | undefined {
  const raw = params[name]?.trim().toLowerCase();
  return raw === undefined || raw === '' || raw === 'all' ? undefined : raw;
}

export function parseAnnotationQuery(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const term of (raw ?? '').split(/\s+and\s+/i)) {
    const t = term.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq < 0) out.set(t, '');
    else out.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  return out;
}

export function parseQuery(params: QueryParams, nowMs: number, defaultLookbackMs: number): QueryRequest {
  const minDuration = positive(params, 'minDuration');
  const maxDuration = positive(params, 'maxDuration');
  if (maxDuration !== undefined && minDuration === undefined) throw badQuery('minDuration is required when specifying maxDuration');
  if (maxDuration !== undefined && minDuration !== undefined && maxDuration < minDuration) throw badQuery('maxDuration should be >= minDuration');
  const endTs = positive(params, 'endTs') ?? nowMs;
  return {
    serviceName: nameParam(params, 'serviceName'),
    remoteServiceName: nameParam(params, 'remoteServiceName'),
    spanName: nameParam(params, 'spanName'),
    annotationQuery: parseAnnotationQuery(params['annotationQuery']),
    minDuration,
    maxDuration,
    endTs,
    lookback: Math.min(positive(params, 'lookback') ?? defaultLookbackMs, endTs),
    limit: positive(params, 'limit') ?? 10,
  };
}

/** Whether trace time `timestampUs` lies in [endTs - lookback, endTs]. */
export function inWindow(q: QueryRequest, timestampUs: number): boolean {
  return timestampUs !== 0 && timestampUs >= (q.endTs - q.lookback) * 1000 && timestampUs <= q.endTs * 1000;
}

function durationMatches(q: QueryRequest, span: Span): boolean {
  const d = span.duration ?? 0;
  if (q.minDuration === undefined) return true;
  return d >= q.minDuration && (q.maxDuration === undefined || d <= q.maxDuration);
}

function strikeAnnotations(remaining: Map<string, string>, span: Span): void {
  for (const a of span.annotations ?? []) if (remaining.get(a.value) === '') remaining.delete(a.value);
  for (const [key, value] of Object.entries(span.tags ?? {})) {
    const wanted = remaining.get(key);
    if (wanted !== undefined && (wanted === '' || wanted === value)) remaining.delete(key);
  }
}

/** Zipkin's test: with serviceName, every other criterion must hold on a span of that service. */
export function matchesTrace(q: QueryRequest, spans: readonly Span[]): boolean {
  let service = q.serviceName === undefined;
  let remote = q.remoteServiceName === undefined;
  let name = q.spanName === undefined;
  let duration = q.minDuration === undefined;
  const remaining = new Map(q.annotationQuery);
  for (const span of spans) {
    if (q.serviceName !== undefined && localServiceName(span) !== q.serviceName) continue;
    service = true;
    strikeAnnotations(remaining, span);
    if (!remote && remoteServiceName(span) === q.remoteServiceName) remote = true;
    if (!name && span.name === q.spanName) name = true;
    if (!duration && durationMatches(q, span)) duration = true;
  }
  return service && remote && name && duration && remaining.size === 0;
}

/**
 * Zipkin's rules for spans that share an id (zipkin2.internal.Trace.merge, Span.Builder.merge): pieces of
 * one span reported separately (same id, same `shared` flag, same or unknown local service) become one;
 * a client span and the server side sharing its id (`shared: true`) stay two spans.
 */
import type { Annotation, Endpoint, Span } from '../model/span';

/** True when `next` is another piece of `span` rather than the other side of a shared RPC. */
export function samePiece(span: Span, next: Span): boolean {
  if (span.id !== next.id || (span.shared === true) !== (next.shared === true)) return false;
  const a = span.localEndpoint?.serviceName;
  const b = next.localEndpoint?.serviceName;
  return a === undefined || b === undefined || a === b;
}

function mergeEndpoint(a: Endpoint | undefined, b: Endpoint | undefined): Endpoint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...b, ...a };
}

function mergeAnnotations(a: readonly Annotation[] | undefined, b: readonly Annotation[] | undefined): Annotation[] | undefined {
  if (a === undefined && b === undefined) return undefined;
  const seen = new Map<string, Annotation>();
  for (const x of [...(a ?? []), ...(b ?? [])]) seen.set(`${x.timestamp} ${x.value}`, x);
  return [...seen.values()].sort((x, y) => x.timestamp - y.timestamp);
}

function longer(a: string, b: string): string {
  return b.length > a.length ? b : a;
}

/** `base` with the gaps filled from `next`; `next`'s tags win, annotations are a sorted union. */
export function mergeSpans(base: Span, next: Span): Span {
  const merged: Record<string, unknown> = {
    ...next,
    ...base,
    traceId: longer(base.traceId, next.traceId),
    name: base.name === undefined || base.name === 'unknown' ? (next.name ?? base.name) : base.name,
    debug: base.debug === true || next.debug === true ? true : undefined,
    localEndpoint: mergeEndpoint(base.localEndpoint, next.localEndpoint),
    remoteEndpoint: mergeEndpoint(base.remoteEndpoint, next.remoteEndpoint),
    annotations: mergeAnnotations(base.annotations, next.annotations),
    tags: base.tags === undefined && next.tags === undefined ? undefined : { ...base.tags, ...next.tags },
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as unknown as Span;
}

/**
 * A trace as Zipkin's UI reads it: a SERVER span with its CLIENT's id is marked shared (some tracers
 * leave the flag out) and a shared span without a parent inherits the client's parent.
 */
export function cleanupShared(spans: readonly Span[]): Span[] {
  const clients = new Map<string, Span>();
  for (const s of spans) if (s.kind === 'CLIENT' || (s.shared !== true && s.kind !== 'SERVER')) clients.set(s.id, s);
  return spans.map((s) => {
    const client = clients.get(s.id);
    if (client === undefined || client === s || s.kind !== 'SERVER') return s;
    const parentId = s.parentId ?? client.parentId;
    return { ...s, shared: true, ...(parentId !== undefined ? { parentId } : {}) };
  });
}

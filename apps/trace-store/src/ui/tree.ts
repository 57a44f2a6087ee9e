/**
 * A trace laid out as a waterfall: spans in depth-first order under their parents (a shared server span
 * under its client), each with its offset and width as percentages of the whole trace.
 */
import type { Span } from '../model/span';
import { cleanupShared } from '../store/merge';

export interface WaterfallRow {
  readonly span: Span;
  readonly depth: number;
  readonly offsetPct: number;
  readonly widthPct: number;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly rootName: string;
  readonly services: ReadonlyMap<string, number>;
  readonly spanCount: number;
  readonly start: number;
  readonly duration: number;
  readonly errors: number;
}

function byStart(a: Span, b: Span): number {
  return (a.timestamp ?? Number.MAX_SAFE_INTEGER) - (b.timestamp ?? Number.MAX_SAFE_INTEGER);
}

/** The span a child names by `parentId`: the server side when the id is shared, since its children run there. */
function parentsById(spans: readonly Span[]): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const s of spans) if (!out.has(s.id) || s.shared === true) out.set(s.id, s);
  return out;
}

/** The non-shared span of each id: the client side a shared server span hangs under. */
function clientsById(spans: readonly Span[]): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const s of spans) if (s.shared !== true && !out.has(s.id)) out.set(s.id, s);
  return out;
}

function parentOf(span: Span, byId: ReadonlyMap<string, Span>, clients: ReadonlyMap<string, Span>): Span | undefined {
  const client = span.shared === true ? clients.get(span.id) : undefined;
  if (client !== undefined && client !== span) return client;
  const parent = span.parentId !== undefined ? byId.get(span.parentId) : undefined;
  return parent === span ? undefined : parent;
}

export function traceBounds(spans: readonly Span[]): { start: number; end: number } {
  let start = Number.MAX_SAFE_INTEGER;
  let end = 0;
  for (const s of spans) {
    if (s.timestamp === undefined) continue;
    start = Math.min(start, s.timestamp);
    end = Math.max(end, s.timestamp + (s.duration ?? 0));
  }
  return end === 0 ? { start: 0, end: 0 } : { start, end };
}

export function waterfall(raw: readonly Span[]): WaterfallRow[] {
  const spans = cleanupShared(raw);
  const byId = parentsById(spans);
  const clients = clientsById(spans);
  const children = new Map<Span | undefined, Span[]>();
  for (const s of spans) {
    const p = parentOf(s, byId, clients);
    children.set(p, [...(children.get(p) ?? []), s]);
  }
  const { start, end } = traceBounds(spans);
  const total = Math.max(1, end - start);
  const rows: WaterfallRow[] = [];
  const seen = new Set<Span>();
  const visit = (span: Span, depth: number): void => {
    if (seen.has(span)) return;
    seen.add(span);
    const offset = span.timestamp === undefined ? 0 : ((span.timestamp - start) / total) * 100;
    const width = span.duration === undefined ? 0 : (span.duration / total) * 100;
    rows.push({ span, depth, offsetPct: offset, widthPct: Math.min(width, 100 - offset) });
    for (const child of (children.get(span) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of (children.get(undefined) ?? []).sort(byStart)) visit(root, 0);
  for (const s of spans) visit(s, 0); // spans caught in a parent cycle still show, at the top level
  return rows;
}

export function summarize(spans: readonly Span[]): TraceSummary {
  const rows = waterfall(spans);
  const services = new Map<string, number>();
  for (const s of spans) {
    const name = s.localEndpoint?.serviceName ?? 'unknown';
    services.set(name, (services.get(name) ?? 0) + 1);
  }
  const { start, end } = traceBounds(spans);
  const root = rows[0]?.span;
  return {
    traceId: spans[0]?.traceId ?? '',
    rootName: `${root?.localEndpoint?.serviceName ?? 'unknown'}: ${root?.name ?? 'unknown'}`,
    services,
    spanCount: spans.length,
    start,
    duration: end - start,
    errors: spans.filter((s) => s.tags?.['error'] !== undefined).length,
  };
}

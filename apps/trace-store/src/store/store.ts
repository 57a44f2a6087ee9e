/**
 * The in-memory span store: bounded by a span count, oldest traces (by arrival) evicted first, indexed
 * by local service (traces, span names, remote services) so the query endpoints never scan everything.
 */
import { TrellisError } from '@trellis/shared';
import { localServiceName, remoteServiceName, type Span } from '../model/span';
import { CountIndex } from './count-index';
import { inWindow, matchesTrace, type QueryRequest } from './query';
import { TraceEntry } from './trace-entry';

export interface StoreStats {
  readonly spans: number;
  readonly traces: number;
}

export interface AddResult {
  readonly accepted: number;
  /** Spans removed to stay within `maxSpans` (whole traces, oldest first). */
  readonly evicted: number;
}

export class TraceStore {
  private readonly traces = new Map<string, TraceEntry>();
  private readonly serviceTraces = new CountIndex();
  private readonly spanNames = new CountIndex();
  private readonly remoteServices = new CountIndex();
  private spanCount = 0;

  constructor(readonly maxSpans: number) {
    if (!Number.isInteger(maxSpans) || maxSpans < 1) throw new TrellisError('CONFIG_INVALID', 'maxSpans must be a positive integer', { maxSpans });
  }

  add(spans: readonly Span[]): AddResult {
    for (const span of spans) this.put(span);
    return { accepted: spans.length, evicted: this.evict() };
  }

  private put(span: Span): void {
    let entry = this.traces.get(span.traceId);
    if (entry === undefined) this.traces.set(span.traceId, (entry = new TraceEntry(span.traceId)));
    const { previous, stored } = entry.put(span);
    if (previous !== undefined) this.unindex(previous);
    else this.spanCount += 1;
    this.index(stored);
  }

  private index(span: Span): void {
    const service = localServiceName(span) ?? '';
    this.serviceTraces.add(service, span.traceId);
    if (span.name !== undefined) this.spanNames.add(service, span.name);
    const remote = remoteServiceName(span);
    if (remote !== undefined) this.remoteServices.add(service, remote);
  }

  private unindex(span: Span): void {
    const service = localServiceName(span) ?? '';
    this.serviceTraces.remove(service, span.traceId);
    if (span.name !== undefined) this.spanNames.remove(service, span.name);
    const remote = remoteServiceName(span);
    if (remote !== undefined) this.remoteServices.remove(service, remote);
  }

  private evict(): number {
    let evicted = 0;
    for (const [traceId, entry] of this.traces) {
      if (this.spanCount <= this.maxSpans) break;
      for (const span of entry.spans()) this.unindex(span);
      this.spanCount -= entry.spanCount;
      evicted += entry.spanCount;
      this.traces.delete(traceId);
    }
    return evicted;
  }

  stats(): StoreStats {
    return { spans: this.spanCount, traces: this.traces.size };
  }

  trace(traceId: string): Span[] | undefined {
    return this.traces.get(traceId)?.spans();
  }

  serviceNames(): string[] {
    return this.serviceTraces.outerKeys().filter((s) => s !== '').sort();
  }

  spanNamesOf(serviceName: string): string[] {
    return [...(this.spanNames.innerKeys(serviceName.toLowerCase()) ?? [])].sort();
  }

  remoteServicesOf(serviceName: string): string[] {
    return [...(this.remoteServices.innerKeys(serviceName.toLowerCase()) ?? [])].sort();
  }

  /** Matching traces, newest first, at most `limit`. */
  query(q: QueryRequest): Span[][] {
    const ids = q.serviceName === undefined ? this.traces.keys() : (this.serviceTraces.innerKeys(q.serviceName) ?? []);
    const hits: { ts: number; spans: Span[] }[] = [];
    for (const id of ids) {
      const entry = this.traces.get(id);
      if (entry === undefined) continue;
      const ts = entry.timestamp();
      if (!inWindow(q, ts)) continue;
      const spans = entry.spans();
      if (matchesTrace(q, spans)) hits.push({ ts, spans });
    }
    return hits.sort((a, b) => b.ts - a.ts).slice(0, q.limit).map((h) => h.spans);
  }

  /** Traces whose timestamp lies in the window (for the dependency linker). */
  *tracesBetween(startUs: number, endUs: number): Generator<Span[]> {
    for (const entry of this.traces.values()) {
      const ts = entry.timestamp();
      if (ts >= startUs && ts <= endUs) yield entry.spans();
    }
  }
}

/** One stored trace: its spans by id (a client and its shared server side are two entries under one id). */
import type { Span } from '../model/span';
import { mergeSpans, samePiece } from './merge';

export interface Replacement {
  readonly previous?: Span;
  readonly stored: Span;
}

export class TraceEntry {
  private readonly byId = new Map<string, Span[]>();
  private count = 0;

  constructor(readonly traceId: string) {}

  get spanCount(): number {
    return this.count;
  }

  /** Stores `span`, merged into an earlier piece of the same span when there is one. */
  put(span: Span): Replacement {
    const pieces = this.byId.get(span.id);
    if (pieces === undefined) {
      this.byId.set(span.id, [span]);
      this.count += 1;
      return { stored: span };
    }
    const at = pieces.findIndex((p) => samePiece(p, span));
    const previous = pieces[at];
    if (previous === undefined) {
      pieces.push(span);
      this.count += 1;
      return { stored: span };
    }
    const stored = mergeSpans(previous, span);
    pieces[at] = stored;
    return { previous, stored };
  }

  spans(): Span[] {
    return [...this.byId.values()].flat();
  }

  /** Zipkin's trace timestamp: the root span's, else the earliest (µs); 0 when no span has one. */
  timestamp(): number {
    let earliest = 0;
    for (const pieces of this.byId.values()) {
      for (const s of pieces) {
        if (s.timestamp === undefined) continue;
        if (s.parentId === undefined) return s.timestamp;
        if (earliest === 0 || s.timestamp < earliest) earliest = s.timestamp;
      }
    }
    return earliest;
  }
}

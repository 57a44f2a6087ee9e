/**
 * `GET /api/v2/dependencies`: caller → callee service links with call and error counts, after Zipkin's
 * DependencyLinker. A server (or consumer) span is one call from its remote service, or else from the
 * nearest ancestor of another service; a client span whose server side never reported counts on its own.
 */
import { localServiceName, remoteServiceName, type DependencyLink, type Span } from '../model/span';
import { cleanupShared } from './merge';

const MAX_DEPTH = 64;

function isError(span: Span | undefined): boolean {
  return span?.tags?.['error'] !== undefined;
}

function isCallee(span: Span): boolean {
  return span.kind === 'SERVER' || span.kind === 'CONSUMER';
}

class TraceLinks {
  private readonly byId = new Map<string, Span[]>();
  private readonly calleeParents = new Set<string>();

  constructor(spans: readonly Span[]) {
    for (const s of spans) {
      this.byId.set(s.id, [...(this.byId.get(s.id) ?? []), s]);
      if (isCallee(s) && s.parentId !== undefined) this.calleeParents.add(s.parentId);
    }
  }

  /** The client span a callee answers: the shared span's other half, or a CLIENT parent. */
  caller(span: Span): Span | undefined {
    const sameId = span.shared === true ? this.byId.get(span.id)?.find((s) => s !== span && !isCallee(s)) : undefined;
    if (sameId !== undefined) return sameId;
    const parents = span.parentId !== undefined ? this.byId.get(span.parentId) : undefined;
    return parents?.find((s) => s.kind === 'CLIENT' || s.kind === 'PRODUCER');
  }

  /** Local service of the nearest ancestor whose service differs from `service`. */
  ancestorService(span: Span, service: string): string | undefined {
    let parentId = span.parentId;
    for (let depth = 0; parentId !== undefined && depth < MAX_DEPTH; depth += 1) {
      const parent = this.byId.get(parentId)?.[0];
      if (parent === undefined) return undefined;
      const name = localServiceName(parent);
      if (name !== undefined && name !== service) return name;
      parentId = parent.parentId;
    }
    return undefined;
  }

  hasCallee(client: Span): boolean {
    const sameId = this.byId.get(client.id)?.some((s) => s !== client && isCallee(s)) ?? false;
    return sameId || this.calleeParents.has(client.id);
  }
}

type Counter = (parent: string, child: string, error: boolean) => void;

function linkTrace(spans: readonly Span[], count: Counter): void {
  const trace = new TraceLinks(spans);
  for (const span of spans) {
    const local = localServiceName(span);
    if (local === undefined) continue;
    if (isCallee(span)) {
      const caller = trace.caller(span);
      const parent = remoteServiceName(span) ?? (caller && localServiceName(caller)) ?? trace.ancestorService(span, local);
      if (parent !== undefined) count(parent, local, isError(span) || isError(caller));
    } else if (span.kind === 'CLIENT' || span.kind === 'PRODUCER') {
      const remote = remoteServiceName(span);
      if (remote !== undefined && !trace.hasCallee(span)) count(local, remote, isError(span));
    }
  }
}

export function dependencyLinks(traces: Iterable<readonly Span[]>): DependencyLink[] {
  const links = new Map<string, { parent: string; child: string; callCount: number; errorCount: number }>();
  const count: Counter = (parent, child, error) => {
    const key = `${parent}\u0000${child}`;
    const link = links.get(key) ?? { parent, child, callCount: 0, errorCount: 0 };
    link.callCount += 1;
    if (error) link.errorCount += 1;
    links.set(key, link);
  };
  for (const spans of traces) linkTrace(cleanupShared(spans), count);
  return [...links.values()].map((l) => (l.errorCount === 0 ? { parent: l.parent, child: l.child, callCount: l.callCount } : l));
}

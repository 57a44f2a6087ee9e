import type { Sample } from '../inventory';
import { hopsOf, isBadTelemetry, type HopOptions } from './hops';
import { label } from './labels';
import { nodeKey } from './node-id';
import { allEdges, type GraphEdge, type TrafficMap } from './traffic-map';

function edgesOfSample(byId: Map<string, GraphEdge[]>, m: Record<string, string>, opts: HopOptions): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (const hop of hopsOf(m, opts)) {
    const src = nodeKey(hop.src, opts.graphType).id;
    const dst = nodeKey(hop.dst, opts.graphType).id;
    out.push(...(byId.get(`${src}>${dst}`) ?? []));
  }
  return out;
}

function index(map: TrafficMap): Map<string, GraphEdge[]> {
  const byId = new Map<string, GraphEdge[]>();
  for (const e of allEdges(map)) {
    const k = `${e.source.id}>${e.dest.id}`;
    byId.set(k, [...(byId.get(k) ?? []), e]);
  }
  return byId;
}

/** `securityPolicy`: isMTLS = mutual_tls share (%) of each edge's destination-reported rate, plus principals. */
export function securityPolicyAppender(map: TrafficMap, samples: readonly Sample[], opts: HopOptions): void {
  const byId = index(map);
  const totals = new Map<GraphEdge, { all: number; mtls: number }>();
  for (const s of samples) {
    if (!(s.value > 0) || isBadTelemetry(s.metric)) continue;
    for (const e of edgesOfSample(byId, s.metric, opts)) {
      const t = totals.get(e) ?? { all: 0, mtls: 0 };
      t.all += s.value;
      if (label(s.metric, 'connection_security_policy') === 'mutual_tls') t.mtls += s.value;
      totals.set(e, t);
      const sp = label(s.metric, 'source_principal');
      const dp = label(s.metric, 'destination_principal');
      if (sp !== '' && sp !== 'unknown') e.sourcePrincipal = sp;
      if (dp !== '' && dp !== 'unknown') e.destPrincipal = dp;
    }
  }
  for (const [e, t] of totals) {
    const pct = (t.mtls / t.all) * 100;
    if (pct > 0) e.isMTLS = pct;
  }
}

/**
 * `responseTime`: each edge's response-time quantile (ms). With an injected service node only the
 * service → workload edge gets it (the incoming edge would mix several workloads' times, as in
 * Kiali); the first value seen for an edge wins (query order).
 */
export function responseTimeAppender(map: TrafficMap, samples: readonly Sample[], opts: HopOptions): void {
  const byId = index(map);
  for (const s of samples) {
    if (!Number.isFinite(s.value) || isBadTelemetry(s.metric)) continue;
    const hops = hopsOf(s.metric, opts);
    const hop = hops[hops.length - 1];
    if (hop === undefined) continue;
    const key = `${nodeKey(hop.src, opts.graphType).id}>${nodeKey(hop.dst, opts.graphType).id}`;
    for (const e of byId.get(key) ?? []) if (e.protocol !== 'tcp' && e.responseTime === undefined) e.responseTime = s.value;
  }
}

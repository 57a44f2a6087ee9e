import { addRate, edgeFor, type GraphEdge, type GraphNode, type TrafficMap } from './traffic-map';

function addEdgeTraffic(into: GraphEdge, from: GraphEdge): void {
  for (const [k, v] of Object.entries(from.rates)) addRate(into.rates, k, v);
  for (const [code, r] of Object.entries(from.responses)) {
    const target = (into.responses[code] ??= { flags: {}, hosts: {} });
    for (const [flag, v] of Object.entries(r.flags)) addRate(target.flags, flag, v);
    for (const [host, v] of Object.entries(r.hosts)) addRate(target.hosts, host, v);
  }
  if (from.isMTLS !== undefined) into.isMTLS = from.isMTLS;
}

function recomputeOut(n: GraphNode): void {
  for (const k of Object.keys(n.rates)) if (k.endsWith('Out')) delete n.rates[k];
  for (const e of n.edges) addRate(n.rates, `${e.protocol}Out`, e.rates[e.protocol] ?? 0);
}

/** Service → workload → service chains become service → service edges (summed). */
function collapse(svc: GraphNode): GraphEdge[] {
  const out: GraphEdge[] = [];
  const scratch: GraphNode = { ...svc, edges: [] };
  for (const hop of svc.edges) {
    if (hop.dest.nodeType === 'service') {
      out.push(hop);
      continue;
    }
    for (const next of hop.dest.edges) {
      if (next.dest.nodeType !== 'service') continue;
      const e = edgeFor(scratch, next.dest, next.protocol);
      addEdgeTraffic(e, next);
    }
  }
  for (const e of scratch.edges) out.push({ ...e, source: svc });
  return out;
}

/** §5.4 step 10: keep service nodes and root non-service nodes (their edges to services only). */
export function reduceToServiceGraph(map: TrafficMap): TrafficMap {
  const hasIncoming = new Set<string>();
  for (const n of map.values()) for (const e of n.edges) hasIncoming.add(e.dest.id);
  const collapsed = new Map<string, GraphEdge[]>();
  for (const n of map.values()) if (n.nodeType === 'service') collapsed.set(n.id, collapse(n));
  const out: TrafficMap = new Map();
  for (const n of map.values()) {
    if (n.nodeType === 'service') {
      n.edges = collapsed.get(n.id) ?? [];
      recomputeOut(n);
      out.set(n.id, n);
    } else if (!hasIncoming.has(n.id) && n.edges.length > 0) {
      n.edges = n.edges.filter((e) => e.dest.nodeType === 'service');
      if (n.edges.length > 0) out.set(n.id, n);
    }
  }
  return out;
}

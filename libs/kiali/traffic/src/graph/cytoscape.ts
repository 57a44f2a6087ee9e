import type { BoxNode } from './boxing';
import { formatPercent, formatRate, formatWhole } from './format';
import type { GraphEdge, GraphNode, Protocol, TrafficMap } from './traffic-map';

export interface CyNodeData {
  id: string;
  nodeType: string;
  [field: string]: unknown;
}
export interface CyEdgeData {
  id: string;
  source: string;
  target: string;
  traffic: { protocol: Protocol; rates?: Record<string, string>; responses?: Record<string, { flags: Record<string, string>; hosts: Record<string, string> }> };
  [field: string]: unknown;
}
export interface GraphResponse {
  timestamp: number;
  duration: number;
  graphType: string;
  elements: { nodes: { data: CyNodeData }[]; edges: { data: CyEdgeData }[] };
}

const NODE_RATES: Record<Protocol, string[]> = {
  http: ['httpIn', 'httpIn3xx', 'httpIn4xx', 'httpIn5xx', 'httpInNoResponse', 'httpOut'],
  grpc: ['grpcIn', 'grpcInErr', 'grpcInNoResponse', 'grpcOut'],
  tcp: ['tcpIn', 'tcpOut'],
};
const EDGE_ERRORS: Record<Protocol, string[]> = { http: ['httpNoResponse', 'http3xx', 'http4xx', 'http5xx'], grpc: ['grpcErr', 'grpcNoResponse'], tcp: [] };

function nodeTraffic(n: GraphNode): { protocol: Protocol; rates: Record<string, string> }[] {
  const out: { protocol: Protocol; rates: Record<string, string> }[] = [];
  for (const protocol of ['http', 'grpc', 'tcp'] as const) {
    const rates: Record<string, string> = {};
    for (const k of NODE_RATES[protocol]) if ((n.rates[k] ?? 0) > 0) rates[k] = formatRate(n.rates[k] as number);
    if (Object.keys(rates).length > 0) out.push({ protocol, rates });
  }
  return out;
}

function nodeData(n: GraphNode): CyNodeData {
  const d: CyNodeData = { id: n.id, nodeType: n.nodeType, cluster: n.cluster, namespace: n.namespace };
  for (const k of ['workload', 'app', 'version', 'service'] as const) if (n[k] !== undefined) d[k] = n[k];
  if (n.destServices.size > 0) d['destServices'] = [...n.destServices.values()];
  const traffic = nodeTraffic(n);
  if (traffic.length > 0) d['traffic'] = traffic;
  for (const [k, v] of Object.entries(n.flags)) if (v === true) d[k] = true;
  if (n.parent !== undefined) d['parent'] = n.parent;
  return d;
}

function percentages(values: Record<string, number>, total: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = formatPercent((v / total) * 100);
  return out;
}

function edgeTraffic(e: GraphEdge): CyEdgeData['traffic'] {
  const p = e.protocol;
  const total = e.rates[p] ?? 0;
  if (!(total > 0)) return { protocol: p };
  const rates: Record<string, string> = { [p]: formatRate(total) };
  let errors = 0;
  for (const k of EDGE_ERRORS[p]) {
    const v = e.rates[k] ?? 0;
    if (v > 0) rates[k] = formatRate(v);
    if (k !== 'http3xx') errors += v;
  }
  if (p !== 'tcp' && errors > 0) rates[`${p}PercentErr`] = formatPercent((errors / total) * 100);
  const out = e.source.rates[`${p}Out`] ?? 0;
  if (out > 0) rates[`${p}PercentReq`] = formatPercent((total / out) * 100);
  const responses: NonNullable<CyEdgeData['traffic']['responses']> = {};
  for (const [code, r] of Object.entries(e.responses)) responses[code] = { flags: percentages(r.flags, total), hosts: percentages(r.hosts, total) };
  return { protocol: p, rates, responses };
}

function edgeData(e: GraphEdge): CyEdgeData {
  const d: CyEdgeData = { id: e.id, source: e.source.id, target: e.dest.id, traffic: edgeTraffic(e) };
  if (e.destPrincipal !== undefined) d['destPrincipal'] = e.destPrincipal;
  if (e.isMTLS !== undefined) d['isMTLS'] = formatWhole(e.isMTLS);
  if (e.responseTime !== undefined) d['responseTime'] = formatWhole(e.responseTime);
  if (e.sourcePrincipal !== undefined) d['sourcePrincipal'] = e.sourcePrincipal;
  return d;
}

/** §6: boxes first (outermost first), then nodes, then edges. */
export function toCytoscape(map: TrafficMap, boxes: readonly BoxNode[], meta: { timestamp: number; duration: number; graphType: string }): GraphResponse {
  const nodes = [...boxes.map((b) => ({ data: { ...b } as CyNodeData })), ...[...map.values()].map((n) => ({ data: nodeData(n) }))];
  const edges = [...map.values()].flatMap((n) => n.edges.map((e) => ({ data: edgeData(e) })));
  return { ...meta, elements: { nodes, edges } };
}

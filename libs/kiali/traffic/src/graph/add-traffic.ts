import type { Sample } from '../inventory';
import { label } from './labels';
import { hopsOf, isBadTelemetry, type HopOptions } from './hops';
import { addRate, addResponse, edgeFor, nodeFor, type GraphEdge, type GraphNode, type Protocol, type TrafficMap } from './traffic-map';

export interface TrafficOptions extends HopOptions {
  includeIdleEdges: boolean;
}

const codeClass = (code: string): string => (code === '-' ? 'NoResponse' : /^[345]\d\d$/.test(code) ? `${code[0]}xx` : '');

/** §5.4 step 5: `0` → `-`; gRPC answers with a non-4xx/5xx HTTP code report their gRPC status. */
export function responseCode(m: Record<string, string>, protocol: Protocol): string {
  const http = label(m, 'response_code');
  const code = http === '0' || http === '' ? '-' : http;
  const grpc = label(m, 'grpc_response_status');
  if (protocol === 'grpc' && !/^[45]\d\d$/.test(code) && grpc !== '') return grpc;
  return code;
}

function accumulate(src: GraphNode, dst: GraphNode, edge: GraphEdge, code: string, httpCode: string, v: number): void {
  const p = edge.protocol;
  addRate(src.rates, `${p}Out`, v);
  addRate(dst.rates, `${p}In`, v);
  addRate(edge.rates, p, v);
  if (p === 'http') {
    const cls = codeClass(code);
    if (cls !== '') {
      addRate(dst.rates, `httpIn${cls}`, v);
      addRate(edge.rates, `http${cls}`, v);
    }
  } else if (p === 'grpc') {
    if (code === '-') {
      addRate(dst.rates, 'grpcInNoResponse', v);
      addRate(edge.rates, 'grpcNoResponse', v);
    } else if (code !== '0' || /^[45]\d\d$/.test(httpCode)) {
      addRate(dst.rates, 'grpcInErr', v);
      addRate(edge.rates, 'grpcErr', v);
    }
  }
}

function protocolOf(m: Record<string, string>, tcp: boolean): Protocol {
  if (tcp) return 'tcp';
  return label(m, 'request_protocol') === 'grpc' ? 'grpc' : 'http';
}

/** §5.4 steps 1–7 for one query's samples. `tcp` marks istio_tcp_sent_bytes_total results. */
export function addSamples(map: TrafficMap, samples: readonly Sample[], tcp: boolean, opts: TrafficOptions): void {
  for (const s of samples) {
    const v = s.value;
    if (!Number.isFinite(v) || (v === 0 && !opts.includeIdleEdges)) continue;
    const m = s.metric;
    if (isBadTelemetry(m)) continue;
    const protocol = protocolOf(m, tcp);
    const code = tcp ? '-' : responseCode(m, protocol);
    const httpCode = label(m, 'response_code');
    const flags = label(m, 'response_flags') || '-';
    const host = label(m, 'destination_service');
    for (const hop of hopsOf(m, opts)) {
      const src = nodeFor(map, hop.src, opts.graphType);
      const dst = nodeFor(map, hop.dst, opts.graphType);
      const ds = hop.destService;
      if (ds.name !== '') dst.destServices.set(`${ds.cluster}/${ds.namespace}/${ds.name}`, ds);
      const edge = edgeFor(src, dst, protocol);
      accumulate(src, dst, edge, code, httpCode, v);
      addResponse(edge.responses, code, flags, host, v);
    }
  }
}

/** §5.4 step 8: merge a namespace's map into the whole; a duplicate keeps the copy of `ns`. */
export function mergeMaps(into: TrafficMap, from: TrafficMap, ns: string): void {
  for (const [id, node] of from) {
    const have = into.get(id);
    if (have === undefined) {
      into.set(id, node);
      continue;
    }
    const keep = node.namespace === ns && have.namespace !== ns ? node : have;
    const other = keep === node ? have : node;
    into.set(id, keep);
    for (const e of other.edges) {
      if (keep.edges.some((k) => k.dest.id === e.dest.id && k.protocol === e.protocol)) continue;
      keep.edges.push({ ...e, source: keep });
      addRate(keep.rates, `${e.protocol}Out`, e.rates[e.protocol] ?? 0);
    }
    for (const [k, d] of other.destServices) keep.destServices.set(k, d);
  }
  // Edges of kept nodes must point at the kept copies.
  for (const n of into.values()) for (const e of n.edges) e.dest = into.get(e.dest.id) ?? e.dest;
}

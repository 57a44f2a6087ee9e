import { nodeKey, edgeId, type GraphType, type NodeRef, type NodeType } from './node-id';

export type Protocol = 'http' | 'grpc' | 'tcp';

export interface DestService {
  cluster: string;
  namespace: string;
  name: string;
}

export interface Responses {
  [code: string]: { flags: Record<string, number>; hosts: Record<string, number> };
}

export interface GraphEdge {
  id: string;
  source: GraphNode;
  dest: GraphNode;
  protocol: Protocol;
  /** Rate keys of §6.5 (`http`, `http5xx`, `grpcErr`, `tcp`, …) as numbers. */
  rates: Record<string, number>;
  responses: Responses;
  isMTLS?: number;
  responseTime?: number;
  sourcePrincipal?: string;
  destPrincipal?: string;
}

export interface GraphNode {
  id: string;
  nodeType: NodeType;
  cluster: string;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
  destServices: Map<string, DestService>;
  /** Rate keys of §6.3 (`httpIn`, `httpOut`, `tcpIn`, …) as numbers. */
  rates: Record<string, number>;
  edges: GraphEdge[];
  flags: Partial<Record<'isRoot' | 'isOutside' | 'isInaccessible' | 'isDead' | 'isIdle' | 'hasMissingSC', boolean>>;
  parent?: string;
}

/** Nodes by id, in insertion order. */
export type TrafficMap = Map<string, GraphNode>;

function trimmed(r: NodeRef, nodeType: NodeType, graphType: GraphType): Pick<GraphNode, 'workload' | 'app' | 'version' | 'service'> {
  const keep = (v: string): string | undefined => (v === '' || v === 'unknown' ? undefined : v);
  if (nodeType === 'service') return { service: r.service };
  if (nodeType === 'app') {
    if (graphType === 'versionedApp') return { workload: keep(r.workload), app: r.app, version: keep(r.version) };
    return { app: r.app };
  }
  if (nodeType === 'workload') return { workload: r.workload, app: keep(r.app), version: keep(r.version) };
  return {};
}

/** Get or create the node for `r` (§5.4 step 7.1), with Kiali's field trimming (§6.2). */
export function nodeFor(map: TrafficMap, r: NodeRef, graphType: GraphType): GraphNode {
  const key = nodeKey(r, graphType);
  const existing = map.get(key.id);
  if (existing !== undefined) return existing;
  const node: GraphNode = {
    id: key.id,
    nodeType: key.nodeType,
    cluster: r.cluster,
    namespace: key.namespace,
    ...trimmed(r, key.nodeType, graphType),
    destServices: new Map(),
    rates: {},
    edges: [],
    flags: {},
  };
  for (const k of Object.keys(node) as (keyof GraphNode)[]) if (node[k] === undefined) delete node[k];
  map.set(key.id, node);
  return node;
}

/** Find or create the edge source → dest for a protocol. */
export function edgeFor(source: GraphNode, dest: GraphNode, protocol: Protocol): GraphEdge {
  const found = source.edges.find((e) => e.dest.id === dest.id && e.protocol === protocol);
  if (found !== undefined) return found;
  const edge: GraphEdge = { id: edgeId(source.id, dest.id, protocol), source, dest, protocol, rates: {}, responses: {} };
  source.edges.push(edge);
  return edge;
}

export function addRate(rates: Record<string, number>, key: string, v: number): void {
  rates[key] = (rates[key] ?? 0) + v;
}

export function addResponse(responses: Responses, code: string, flags: string, host: string, v: number): void {
  const r = (responses[code] ??= { flags: {}, hosts: {} });
  addRate(r.flags, flags, v);
  addRate(r.hosts, host, v);
}

export const allEdges = (map: TrafficMap): GraphEdge[] => [...map.values()].flatMap((n) => n.edges);

import type { Sample } from '../inventory';
import { addSamples, mergeMaps } from './add-traffic';
import { boxNodes } from './boxing';
import { toCytoscape, type GraphResponse } from './cytoscape';
import type { GraphOptions } from './graph-options';
import { namespaceSelectors, responseTimeQueries, securityQueries, trafficQueries, type Matchers } from './graph-queries';
import { deadNodeAppender, idleNodeAppender, serviceAppAppender, sidecarsCheckAppender, type InventoryIndex } from './inventory-appenders';
import { markNodes } from './mark';
import { responseTimeAppender, securityPolicyAppender } from './metric-appenders';
import { reduceToServiceGraph } from './service-graph';
import type { TrafficMap } from './traffic-map';

export type InstantQuery = (promql: string, time: number) => Promise<Sample[]>;

export interface GraphInputs {
  query: InstantQuery;
  inventory: InventoryIndex;
  /** Namespaces that exist (others are inaccessible). */
  visible: ReadonlySet<string>;
  /** Cluster name for idle nodes (Istio's default `Kubernetes`). */
  cluster: string;
}

/** One namespace's (or one focus node's) traffic map from its selectors. */
async function trafficOf(selectors: readonly Matchers[], ns: string, opts: GraphOptions, io: GraphInputs): Promise<TrafficMap> {
  const window = `${opts.duration}s`;
  const queries = trafficQueries(selectors, window);
  const results = await Promise.all(queries.map((q) => io.query(q.promql, opts.queryTime)));
  const map: TrafficMap = new Map();
  results.forEach((samples, i) => addSamples(map, samples, queries[i]?.tcp === true, opts));
  if (opts.appenders.has('securityPolicy')) {
    const sec = await Promise.all(securityQueries(ns, window).map((q) => io.query(q, opts.queryTime)));
    securityPolicyAppender(map, sec.flat(), opts);
  }
  if (opts.appenders.has('responseTime')) {
    const rt = await Promise.all(responseTimeQueries(selectors, window, opts.responseTimeQuantile).map((q) => io.query(q, opts.queryTime)));
    responseTimeAppender(map, rt.flat(), opts);
  }
  return map;
}

function finish(map: TrafficMap, opts: GraphOptions, io: GraphInputs, requested: ReadonlySet<string>): GraphResponse {
  const inRequested: InventoryIndex = {
    workloads: io.inventory.workloads.filter((w) => requested.has(w.namespace)),
    services: io.inventory.services.filter((s) => requested.has(s.namespace)),
  };
  if (opts.appenders.has('idleNode')) idleNodeAppender(map, inRequested, opts.graphType, opts.injectServiceNodes, io.cluster);
  if (opts.appenders.has('deadNode')) deadNodeAppender(map, io.inventory, requested);
  markNodes(map, requested, io.visible);
  const reduced = opts.graphType === 'service' ? reduceToServiceGraph(map) : map;
  if (opts.appenders.has('sidecarsCheck')) sidecarsCheckAppender(reduced, io.inventory);
  if (opts.appenders.has('istio')) serviceAppAppender(reduced, io.inventory);
  const boxes = boxNodes(reduced, opts.graphType === 'app' || opts.graphType === 'versionedApp' ? opts.boxBy : new Set([...opts.boxBy].filter((b) => b !== 'app')));
  return toCytoscape(reduced, boxes, { timestamp: opts.queryTime, duration: opts.duration, graphType: opts.graphType });
}

/** `api/namespaces/graph`: per-namespace maps (§5.3–5.4), merged, appended, boxed. */
export async function buildNamespacesGraph(opts: GraphOptions, io: GraphInputs): Promise<GraphResponse> {
  const namespaces = opts.namespaces.filter((ns) => io.visible.has(ns));
  const maps = await Promise.all(namespaces.map((ns) => trafficOf(namespaceSelectors(ns), ns, opts, io)));
  const merged: TrafficMap = new Map();
  maps.forEach((m, i) => mergeMaps(merged, m, namespaces[i] as string));
  return finish(merged, opts, io, new Set(namespaces));
}

/** Drill-down graphs: the traffic into and out of one node of namespace `ns`. */
export async function buildNodeGraph(ns: string, selectors: readonly Matchers[], opts: GraphOptions, io: GraphInputs): Promise<GraphResponse> {
  const map = await trafficOf(selectors, ns, opts, io);
  return finish(map, { ...opts, appenders: new Set([...opts.appenders].filter((a) => a !== 'idleNode')) }, io, new Set([ns]));
}

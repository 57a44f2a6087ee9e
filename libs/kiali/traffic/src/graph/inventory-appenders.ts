import type { InventoryService, InventoryWorkload } from '../inventory';
import { nodeFor, type GraphNode, type TrafficMap } from './traffic-map';
import type { GraphType } from './node-id';

/** The inventory of the requested namespaces, indexed for the appenders. */
export interface InventoryIndex {
  workloads: InventoryWorkload[];
  services: InventoryService[];
}

const hasTraffic = (n: GraphNode): boolean => Object.values(n.rates).some((v) => v > 0) || n.edges.length > 0;

function workloadsOf(n: GraphNode, inv: InventoryIndex): InventoryWorkload[] {
  if (n.workload !== undefined) return inv.workloads.filter((w) => w.namespace === n.namespace && w.name === n.workload);
  if (n.app !== undefined) return inv.workloads.filter((w) => w.namespace === n.namespace && w.app === n.app && (n.version === undefined || w.version === n.version));
  return [];
}

/** `deadNode`: drop traffic-less service nodes and traffic-less nodes whose workload is gone; mark workloads without pods. */
export function deadNodeAppender(map: TrafficMap, inv: InventoryIndex, namespaces: ReadonlySet<string>): void {
  const incoming = new Set<string>();
  for (const n of map.values()) for (const e of n.edges) if (Object.keys(e.rates).length > 0) incoming.add(e.dest.id);
  for (const n of [...map.values()]) {
    if (n.nodeType !== 'service' && n.nodeType !== 'workload' && n.nodeType !== 'app') continue;
    if (!namespaces.has(n.namespace) || n.flags.isIdle === true) continue;
    const live = hasTraffic(n) || incoming.has(n.id);
    const wls = n.nodeType === 'service' ? [] : workloadsOf(n, inv);
    if (!live && (n.nodeType === 'service' || wls.length === 0)) {
      map.delete(n.id);
      for (const o of map.values()) o.edges = o.edges.filter((e) => e.dest.id !== n.id);
    } else if (wls.length > 0 && wls.every((w) => w.pods.length === 0)) n.flags.isDead = true;
  }
}

/** `sidecarsCheck`: hasMissingSC when a backing workload runs without a sidecar. */
export function sidecarsCheckAppender(map: TrafficMap, inv: InventoryIndex): void {
  for (const n of map.values()) {
    if (n.nodeType !== 'workload' && n.nodeType !== 'app') continue;
    if (workloadsOf(n, inv).some((w) => !w.sidecar && !isGateway(w))) n.flags.hasMissingSC = true;
  }
}

const isGateway = (w: InventoryWorkload): boolean => w.labels['istio'] === 'ingressgateway' || w.labels['istio'] === 'egressgateway';

/** `istio` (the part Trellis can know): service nodes take their Kubernetes Service's `app` label (§6.4). */
export function serviceAppAppender(map: TrafficMap, inv: InventoryIndex): void {
  for (const n of map.values()) {
    if (n.nodeType !== 'service') continue;
    const svc = inv.services.find((s) => s.namespace === n.namespace && s.name === n.service);
    const app = svc?.labels['app'];
    if (app !== undefined && app !== '') n.app = app;
  }
}

/** `idleNode`: add the requested namespaces' services and workloads that have no node, marked isIdle. */
export function idleNodeAppender(map: TrafficMap, inv: InventoryIndex, graphType: GraphType, injectServiceNodes: boolean, cluster: string): void {
  const before = new Set(map.keys());
  const add = (n: GraphNode): void => {
    if (!before.has(n.id)) n.flags.isIdle = true;
  };
  if (graphType === 'service' || injectServiceNodes) {
    for (const s of inv.services) {
      add(nodeFor(map, { cluster, namespace: s.namespace, serviceNamespace: s.namespace, service: s.name, workload: '', app: '', version: '' }, graphType));
    }
  }
  if (graphType === 'service') return;
  for (const w of inv.workloads) {
    const ref = { cluster, namespace: w.namespace, serviceNamespace: '', service: '', workload: w.name, app: w.app ?? '', version: w.version ?? '' };
    add(nodeFor(map, ref, graphType));
  }
}

import { boxId } from './node-id';
import { UNKNOWN } from './labels';
import type { GraphNode, TrafficMap } from './traffic-map';

export type BoxBy = 'app' | 'namespace' | 'cluster';

export interface BoxNode {
  id: string;
  nodeType: 'box';
  cluster: string;
  namespace?: string;
  app?: string;
  isBox: BoxBy;
  parent?: string;
}

type Boxable = GraphNode | BoxNode;

function group<T extends Boxable>(items: readonly T[], key: (n: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const n of items) {
    if (n.parent !== undefined) continue;
    const k = key(n);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), n]);
  }
  return groups;
}

function appBoxes(nodes: readonly GraphNode[]): BoxNode[] {
  const boxes: BoxNode[] = [];
  const groups = group(nodes, (n) => (n.app !== undefined && n.app !== UNKNOWN && n.nodeType !== 'unknown' ? `${n.cluster}\0${n.namespace}\0${n.app}` : undefined));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const m = members[0] as GraphNode;
    const box: BoxNode = { id: boxId([m.cluster, m.namespace, m.app as string]), nodeType: 'box', cluster: m.cluster, namespace: m.namespace, app: m.app as string, isBox: 'app' };
    for (const n of members) n.parent = box.id;
    boxes.push(box);
  }
  return boxes;
}

function outerBoxes(items: readonly Boxable[], by: 'namespace' | 'cluster'): BoxNode[] {
  const boxes: BoxNode[] = [];
  const groups = group(items, (n) => (by === 'cluster' ? n.cluster : n.namespace === undefined ? undefined : `${n.cluster}\0${n.namespace}`));
  for (const members of groups.values()) {
    const m = members[0] as Boxable;
    const box: BoxNode =
      by === 'cluster'
        ? { id: boxId([m.cluster]), nodeType: 'box', cluster: m.cluster, isBox: 'cluster' }
        : { id: boxId([m.cluster, m.namespace as string]), nodeType: 'box', cluster: m.cluster, namespace: m.namespace as string, isBox: 'namespace' };
    for (const n of members) n.parent = box.id;
    boxes.push(box);
  }
  return boxes;
}

/** §6.4: app boxes (≥ 2 members), then namespace, then cluster boxes; returns boxes outermost first. */
export function boxNodes(map: TrafficMap, boxBy: ReadonlySet<BoxBy>): BoxNode[] {
  const nodes = [...map.values()];
  const apps = boxBy.has('app') ? appBoxes(nodes) : [];
  const namespaces = boxBy.has('namespace') ? outerBoxes([...apps, ...nodes], 'namespace') : [];
  const clusters = boxBy.has('cluster') ? outerBoxes([...namespaces, ...apps, ...nodes], 'cluster') : [];
  return [...clusters, ...namespaces, ...apps];
}

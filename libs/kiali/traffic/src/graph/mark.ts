import { UNKNOWN } from './labels';
import type { TrafficMap } from './traffic-map';

const INACCESSIBLE_SERVICES = new Set(['PassthroughCluster', 'BlackHoleCluster']);

/** §5.4 step 9: isInaccessible, isOutside, isRoot. `visible` = namespaces the user can see. */
export function markNodes(map: TrafficMap, requested: ReadonlySet<string>, visible: ReadonlySet<string>): void {
  const hasIncoming = new Set<string>();
  for (const n of map.values()) for (const e of n.edges) hasIncoming.add(e.dest.id);
  for (const n of map.values()) {
    const unknownNs = n.namespace === UNKNOWN || n.namespace === '';
    const inaccessibleService = n.nodeType === 'service' && (unknownNs || INACCESSIBLE_SERVICES.has(n.service ?? ''));
    if (n.nodeType === 'unknown' || inaccessibleService || (!unknownNs && !visible.has(n.namespace))) n.flags.isInaccessible = true;
    if (!unknownNs && !requested.has(n.namespace)) n.flags.isOutside = true;
    if (n.edges.length > 0 && !hasIncoming.has(n.id)) n.flags.isRoot = true;
  }
}

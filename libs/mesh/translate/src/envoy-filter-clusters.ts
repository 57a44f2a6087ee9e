import type { SupportedPatch } from '@trellis/mesh-api';
import type { Cluster } from '@trellis/mesh-envoy';

/**
 * CLUSTER ADD (istiod's envoyfilter/cluster_patch.go InsertedClusters): the patch's cluster is added
 * as written; `match.cluster` does not narrow an ADD. A patch without context goes to sidecars'
 * outbound clusters and gateways only. A name the proxy already has is not added twice (Envoy would
 * reject the whole CDS update); the generated cluster wins.
 */
function wanted(p: SupportedPatch, router: boolean): boolean {
  if (p.context === 'ANY') return true;
  return router ? p.context === 'GATEWAY' : p.context === 'SIDECAR_OUTBOUND' || p.context === 'SIDECAR_INBOUND';
}

export function addClusters(clusters: readonly Cluster[], patches: readonly SupportedPatch[], router: boolean): readonly Cluster[] {
  const names = new Set(clusters.map((c) => c.name));
  const added: Cluster[] = [];
  for (const p of patches) {
    if (p.operation !== 'ADD' || !wanted(p, router)) continue;
    const cluster = structuredClone(p.value) as Cluster;
    if (names.has(cluster.name)) continue;
    names.add(cluster.name);
    added.push(cluster);
  }
  return added.length === 0 ? clusters : [...clusters, ...added].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
}

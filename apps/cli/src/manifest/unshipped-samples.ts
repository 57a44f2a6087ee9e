/**
 * Istio's Bookinfo samples that route to workloads Trellis does not ship (details v2, the MongoDB
 * ratings v2 of `bookinfo-ratings-v2.yaml` + `bookinfo-db.yaml`). Applying such a VirtualService is
 * accepted (Istio accepts it too); `trellis apply` prints one warning naming the missing workload and
 * what to use instead, when no workload of that subset runs. Pure: the caller passes the workloads.
 */
import type { AnyResource, WorkloadInstance } from '@trellis/mesh-api';

interface Unshipped {
  readonly host: string;
  readonly subset: string;
  /** What Istio's sample expects to run. */
  readonly workload: string;
  readonly instead: string;
}

const MYSQL_FILES = 'samples/bookinfo/platform/kube/bookinfo-mysql.yaml -f samples/bookinfo/platform/kube/bookinfo-ratings-v2-mysql.yaml';

const UNSHIPPED: readonly Unshipped[] = [
  {
    host: 'details',
    subset: 'v2',
    workload: "details v2 (Istio's bookinfo-details-v2.yaml)",
    instead: 'Trellis ships details v1 only: route details to subset v1 (virtual-service-all-v1.yaml)',
  },
  {
    host: 'ratings',
    subset: 'v2',
    workload: "ratings v2 with MongoDB (Istio's bookinfo-ratings-v2.yaml + bookinfo-db.yaml)",
    instead: `use ratings v2-mysql instead: npm start -- --with mysql (cluster: kubectl apply -f ${MYSQL_FILES}) and virtual-service-ratings-mysql.yaml`,
  },
];

interface Destination {
  host?: unknown;
  subset?: unknown;
}

function destinations(spec: unknown): Destination[] {
  const http = (spec as { http?: unknown } | undefined)?.http;
  if (!Array.isArray(http)) return [];
  return http.flatMap((route: unknown) => {
    const dests = (route as { route?: unknown } | undefined)?.route;
    return Array.isArray(dests) ? dests.map((d: unknown) => ((d as { destination?: Destination } | undefined)?.destination ?? {})) : [];
  });
}

/** `ratings`, `ratings.default`, `ratings.default.svc.cluster.local` → `ratings`. */
const shortHost = (host: string): string => host.split('.')[0] ?? host;

function runs(workloads: readonly WorkloadInstance[], namespace: string, entry: Unshipped): boolean {
  return workloads.some((w) => w.namespace === namespace && w.labels['app'] === entry.host && w.labels['version'] === entry.subset);
}

/** One warning line per (VirtualService, unshipped subset) none of `workloads` serves. */
export function unshippedSampleWarnings(objects: readonly AnyResource[], workloads: readonly WorkloadInstance[], namespace: string): string[] {
  const lines = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'VirtualService') continue;
    const ns = o.metadata.namespace ?? namespace;
    for (const d of destinations(o.spec)) {
      if (typeof d.host !== 'string' || typeof d.subset !== 'string') continue;
      const entry = UNSHIPPED.find((u) => u.host === shortHost(d.host as string) && u.subset === d.subset);
      if (entry === undefined || runs(workloads, ns, entry)) continue;
      lines.add(`Warning: VirtualService ${ns}/${o.metadata.name} routes ${entry.host} to subset ${entry.subset}, but no ${entry.host} ${entry.subset} workload runs and Trellis does not ship ${entry.workload}; ${entry.instead}`);
    }
  }
  return [...lines];
}

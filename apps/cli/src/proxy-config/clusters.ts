import { istioConfigOf, type DumpCluster } from './envoy-access';

export interface ClusterFilter {
  fqdn?: string;
  port?: string;
  subset?: string;
  direction?: string;
}

export interface ParsedClusterName {
  fqdn: string;
  port: string;
  subset: string;
  direction: string;
}

export const CLUSTER_HEADER = ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'];

/** `outbound|9080|v1|reviews.default.svc.cluster.local` → its parts; other names are the FQDN with `-`. */
export function parseClusterName(name: string): ParsedClusterName {
  const parts = name.split('|');
  if (parts.length !== 4) return { fqdn: name, port: '-', subset: '-', direction: '-' };
  const [direction = '', port = '', subset = '', fqdn = ''] = parts;
  return { fqdn, port: port || '-', subset: subset || '-', direction: direction || '-' };
}

export function filterClusters<C extends DumpCluster>(clusters: readonly C[], filter: ClusterFilter): C[] {
  return clusters.filter((c) => {
    const p = parseClusterName(c.name ?? '');
    if (filter.fqdn && !p.fqdn.includes(filter.fqdn)) return false;
    if (filter.port && p.port !== filter.port) return false;
    if (filter.subset && !p.subset.includes(filter.subset)) return false;
    if (filter.direction && p.direction !== filter.direction) return false;
    return true;
  });
}

/** Rows of `istioctl proxy-config cluster`, sorted by FQDN, direction, port, subset. */
export function clusterRows(clusters: readonly DumpCluster[]): string[][] {
  const rows = clusters.map((c) => {
    const p = parseClusterName(c.name ?? '');
    const type = c.type || (c.cluster_type ? 'CUSTOM' : 'STATIC');
    return [p.fqdn, p.port, p.subset, p.direction, type, istioConfigOf(c)];
  });
  return rows.sort((a, b) => compareRows(a, b, [0, 3, 1, 2]));
}

function compareRows(a: string[], b: string[], columns: number[]): number {
  for (const col of columns) {
    const x = a[col] ?? '';
    const y = b[col] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const cmp = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (cmp !== 0) return cmp;
  }
  return 0;
}

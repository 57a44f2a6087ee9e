import type { DumpClusterLoadAssignment } from './envoy-access';

export const ENDPOINT_HEADER = ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'];

/** Rows of `istioctl proxy-config endpoint`, sorted by endpoint then cluster. */
export function endpointRows(assignments: readonly DumpClusterLoadAssignment[], cluster?: string): string[][] {
  const rows: string[][] = [];
  for (const cla of assignments) {
    const clusterName = cla.cluster_name ?? '';
    if (cluster && clusterName !== cluster) continue;
    for (const locality of cla.endpoints ?? []) {
      for (const lb of locality.lb_endpoints ?? []) {
        const sock = lb.endpoint?.address?.socket_address;
        const address = `${sock?.address ?? ''}:${sock?.port_value ?? ''}`;
        const status = lb.health_status ?? '';
        rows.push([address, status === '' || status === 'UNKNOWN' ? 'HEALTHY' : status, 'OK', clusterName]);
      }
    }
  }
  return rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '', undefined, { numeric: true }) || (a[3] ?? '').localeCompare(b[3] ?? ''));
}

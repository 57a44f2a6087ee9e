import type { EnvoyObject } from '../client/api-types';
import { get, list, str } from './envoy-access';

export const ENDPOINT_HEADER = ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'];

/** Rows of `istioctl proxy-config endpoint`, sorted by endpoint then cluster. */
export function endpointRows(assignments: readonly EnvoyObject[], cluster?: string): string[][] {
  const rows: string[][] = [];
  for (const cla of assignments) {
    const clusterName = str(cla['cluster_name']);
    if (cluster && clusterName !== cluster) continue;
    for (const locality of list(cla['endpoints'])) {
      for (const lb of list(locality['lb_endpoints'])) {
        const sock = get(lb, 'endpoint', 'address', 'socket_address');
        const address = `${str(get(sock, 'address'))}:${str(get(sock, 'port_value'))}`;
        const status = str(lb['health_status']);
        rows.push([address, status === '' || status === 'UNKNOWN' ? 'HEALTHY' : status, 'OK', clusterName]);
      }
    }
  }
  return rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '', undefined, { numeric: true }) || (a[3] ?? '').localeCompare(b[3] ?? ''));
}

import type { Command } from 'commander';
import type { SyncStatus } from '../client/api-types';
import { globalsOf, type CommandContext } from '../context';
import { ISTIOCTL_STYLE, formatTable } from '../output/table';

export const PROXY_STATUS_HEADER = ['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ISTIOD', 'VERSION'];
const DEFAULT_ISTIOD = 'trellis-control-plane';

export function registerProxyStatus(program: Command, ctx: CommandContext): void {
  program
    .command('proxy-status')
    .alias('ps')
    .description('Show the xDS sync status of every connected proxy')
    .argument('[proxy]', 'only this proxy (<pod>[.<namespace>] or node id)')
    .action(async (proxy: string | undefined, _opts: unknown, command: Command) => {
      const api = ctx.api(globalsOf(command));
      const [statuses, version] = await Promise.all([api.syncz(), api.version().catch(() => ({}) as Record<string, unknown>)]);
      const cpVersion = typeof version['version'] === 'string' ? version['version'] : '';
      const cpName = typeof version['name'] === 'string' ? version['name'] : DEFAULT_ISTIOD;
      const rows = proxyStatusRows(statuses, cpName, cpVersion).filter((r) => !proxy || r[0] === proxy || r[0]?.startsWith(`${proxy}.`));
      ctx.lines(formatTable(PROXY_STATUS_HEADER, rows, ISTIOCTL_STYLE));
    });
}

/** One row per proxy: `<workload>.<namespace>`, cluster, per-type status, control plane, proxy version. */
export function proxyStatusRows(statuses: readonly SyncStatus[], controlPlane: string, controlPlaneVersion: string): string[][] {
  return statuses
    .map((s) => [
      `${s.proxy.workloadName}.${s.proxy.namespace}`,
      s.clusterID ?? s.proxy.clusterID ?? 'Kubernetes',
      s.types.CDS?.status ?? 'NOT SENT',
      s.types.LDS?.status ?? 'NOT SENT',
      s.types.EDS?.status ?? 'NOT SENT',
      s.types.RDS?.status ?? 'NOT SENT',
      s.istiod ?? controlPlane,
      s.proxyVersion ?? s.proxy.version ?? controlPlaneVersion,
    ])
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

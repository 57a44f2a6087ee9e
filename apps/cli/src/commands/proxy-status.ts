import type { Command } from 'commander';
import { readLocalProcesses, type ProcessStatus } from '@trellis/mesh-local';
import type { SyncStatus } from '../client/api-types';
import { localStateDir } from '../client/address';
import { resolveTarget } from '../client/target';
import { globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { toIstioctlJson, toYaml } from '../output/printers';
import { ISTIOCTL_STYLE, formatTable } from '../output/table';

export const PROXY_STATUS_HEADER = ['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ISTIOD', 'VERSION'];
const DEFAULT_ISTIOD = 'trellis-control-plane';

export function registerProxyStatus(program: Command, ctx: CommandContext): void {
  program
    .command('proxy-status')
    .alias('ps')
    .description("Show the xDS sync status of every connected proxy (in local mode with each pod's restarts)")
    .argument('[proxy]', 'only this proxy (<pod>[.<namespace>] or node id)')
    .action(async (proxy: string | undefined, _opts: unknown, command: Command) => {
      const globals = globalsOf(command);
      const api = ctx.api(globals);
      const [statuses, version] = await Promise.all([api.syncz(), api.version().catch(() => ({}) as Record<string, unknown>)]);
      const cpVersion = typeof version['version'] === 'string' ? version['version'] : '';
      const cpName = typeof version['name'] === 'string' ? version['name'] : DEFAULT_ISTIOD;
      const restarts = podRestarts(localProcesses(globals, ctx));
      const selected = statuses.filter((s) => !proxy || rowName(s) === proxy || rowName(s).startsWith(`${proxy}.`) || s.id === proxy);
      if (globals.output === 'json' || globals.output === 'yaml') {
        const doc = selected.map((s) => withRestarts(s, restarts));
        return ctx.out(globals.output === 'json' ? toIstioctlJson(doc) : toYaml(JSON.parse(JSON.stringify(doc)) as unknown));
      }
      const header = restarts === undefined ? PROXY_STATUS_HEADER : [...PROXY_STATUS_HEADER, 'RESTARTS'];
      ctx.lines(formatTable(header, proxyStatusRows(selected, cpName, cpVersion, restarts), ISTIOCTL_STYLE));
    });
}

const rowName = (s: SyncStatus): string => `${s.proxy.workloadName}.${s.proxy.namespace}`;

/** In local mode, the runner's supervised processes (`<state>/local-pods.json`); none in a cluster. */
function localProcesses(globals: GlobalOptions, ctx: CommandContext): ProcessStatus[] | undefined {
  if (resolveTarget({ ...globals, env: ctx.io.env, cwd: ctx.io.cwd }).type !== 'local') return undefined;
  const processes = readLocalProcesses(localStateDir({ ...globals, env: ctx.io.env, cwd: ctx.io.cwd }));
  return processes.length > 0 ? processes : undefined;
}

/**
 * kubectl's RESTARTS per pod: its containers' restarts added up — the app (`<pod>`) and its sidecar
 * (`<pod>.istio-proxy`); a gateway pod is its one proxy process. Undefined when no stack is supervised.
 */
export function podRestarts(processes: readonly ProcessStatus[] | undefined): ReadonlyMap<string, number> | undefined {
  if (processes === undefined) return undefined;
  const out = new Map<string, number>();
  for (const p of processes) {
    const pod = p.name.endsWith('.istio-proxy') ? p.name.slice(0, -'.istio-proxy'.length) : p.name;
    out.set(pod, (out.get(pod) ?? 0) + p.restarts);
  }
  return out;
}

function withRestarts(s: SyncStatus, restarts: ReadonlyMap<string, number> | undefined): SyncStatus & { restarts?: number } {
  const n = restarts?.get(s.proxy.workloadName);
  return n === undefined ? s : { ...s, restarts: n };
}

/** One row per proxy: `<workload>.<namespace>`, cluster, per-type status, control plane, proxy version[, restarts]. */
export function proxyStatusRows(statuses: readonly SyncStatus[], controlPlane: string, controlPlaneVersion: string, restarts?: ReadonlyMap<string, number>): string[][] {
  return statuses
    .map((s) => [
      rowName(s),
      s.clusterID ?? s.proxy.clusterID ?? 'Kubernetes',
      s.types.CDS?.status ?? 'NOT SENT',
      s.types.LDS?.status ?? 'NOT SENT',
      s.types.EDS?.status ?? 'NOT SENT',
      s.types.RDS?.status ?? 'NOT SENT',
      s.istiod ?? controlPlane,
      s.proxyVersion ?? s.proxy.version ?? controlPlaneVersion,
      ...(restarts === undefined ? [] : [String(restarts.get(s.proxy.workloadName) ?? 0)]),
    ])
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

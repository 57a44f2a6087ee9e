import type { Command } from 'commander';
import { globalsOf, type CommandContext } from '../context';
import { CLIENT_VERSION } from '../version';

/** istioctl's renderProxyVersions: `none`, else each version (sorted) with its count, `1.0 (2 proxies), 1.1 (1 proxies)`. */
export function renderProxyVersions(versions: readonly string[]): string {
  if (versions.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const v of versions) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((v) => `${v} (${counts.get(v) ?? 0} proxies)`)
    .join(', ');
}

/** `trellis version`: istioctl's short form — client, control plane, data plane (its proxies' versions). */
export function registerVersion(program: Command, ctx: CommandContext): void {
  program
    .command('version')
    .description('Print the client, control plane and data plane versions')
    .option('--short', "istioctl's default form (the only one Trellis prints)")
    .option('--remote <bool>', 'also ask the control plane (default true)', 'true')
    .action(async (opts: { remote: string }, command: Command) => {
      ctx.lines([`client version: ${CLIENT_VERSION}`]);
      if (opts.remote === 'false') return;
      const api = ctx.api(globalsOf(command));
      const version = await api.version();
      const own = typeof version['version'] === 'string' ? version['version'] : 'unknown';
      ctx.lines([`control plane version: ${own}`]);
      const proxies = await api.syncz();
      ctx.lines([`data plane version: ${renderProxyVersions(proxies.map((p) => p.proxyVersion ?? p.proxy.version ?? own))}`]);
    });
}

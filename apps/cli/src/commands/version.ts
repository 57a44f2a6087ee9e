import type { Command } from 'commander';
import { globalsOf, type CommandContext } from '../context';
import { CLIENT_VERSION } from '../version';

export function registerVersion(program: Command, ctx: CommandContext): void {
  program
    .command('version')
    .description('Print the client and control plane versions')
    .option('--short', 'print only the client and control plane versions')
    .option('--remote <bool>', 'also ask the control plane (default true)', 'true')
    .action(async (opts: { short?: boolean; remote: string }, command: Command) => {
      ctx.lines([`client version: ${CLIENT_VERSION}`]);
      if (opts.remote === 'false') return;
      const api = ctx.api(globalsOf(command));
      const version = await api.version();
      ctx.lines([`control plane version: ${typeof version['version'] === 'string' ? version['version'] : 'unknown'}`]);
      if (opts.short) return;
      const proxies = await api.syncz();
      const versions = [...new Set(proxies.map((p) => p.proxyVersion ?? p.proxy.version ?? String(version['version'] ?? 'unknown')))];
      ctx.lines([`data plane version: ${versions.length > 0 ? versions.join(', ') : 'none'} (${proxies.length} proxies)`]);
    });
}

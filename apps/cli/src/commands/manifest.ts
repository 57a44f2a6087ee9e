import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { addInputFlags, addInstallFlags, planInstall, type InstallFlags, type InstallInputFlags } from '../install/flags';
import { manifestYaml } from '../install/manifest-yaml';
import { runInstall } from './install';
import { withGlobalHelp } from './cluster-command';

/**
 * `trellis manifest generate`: the YAML `install` would apply for the same profile, files and `--set`s
 * (offline, nothing is read from a cluster; the Gateway API CRDs install adds only when absent are left out).
 * `trellis manifest apply`: `install` under istioctl's older name.
 */
export function registerManifest(program: Command, ctx: CommandContext): void {
  const manifest = program.command('manifest').description('Generate or apply the Trellis install manifests');
  addInputFlags(manifest.command('generate').description('Print the YAML trellis install applies for these options'))
    .action(async (opts: InstallInputFlags) => {
      const { components } = await planInstall(ctx, opts);
      ctx.out(manifestYaml(components));
    });
  addInstallFlags(withGlobalHelp(manifest.command('apply').description('Install Trellis into the cluster (same as trellis install)')))
    .action((opts: InstallFlags, command: Command) => runInstall(ctx, opts, command));
}

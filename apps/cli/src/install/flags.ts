import { Option, type Command } from 'commander';
import { TrellisError } from '@trellis/shared';
import { collect, type CommandContext } from '../context';
import { findDeployDir, loadAllComponents, type Component } from './deploy-manifests';
import { readStream } from '../manifest/read-manifests';
import { OPERATOR_FILE_INVALID, readOperatorFile } from './operator-file';
import { parseDuration } from './options';
import { renderInstall } from './render';
import { resolveInstall, type OperatorFile, type ResolvedInstall } from './resolve';
import { collectSetFlag, type SetFlag } from './set-flag';

/** istioctl's `-f/--filename` and `-s/--set`, shared by install, manifest generate|apply and verify-install. */
export interface InstallInputFlags {
  filename: string[];
  set: SetFlag[];
}

export interface InstallFlags extends InstallInputFlags {
  skipConfirmation?: boolean;
  wait: boolean;
  timeout: number;
}

const SET_HELP = 'override an IstioOperator spec value, e.g. profile=demo, meshConfig.accessLogFile=/dev/stdout, values.gateways.istio-ingressgateway.type=NodePort (repeatable)';

export function addInputFlags(command: Command): Command {
  return command
    .option('-f, --filename <file>', 'IstioOperator file to merge over the profile (repeatable, applied in order; - for stdin, last only)', collect, [])
    .option('-s, --set <path=value>', SET_HELP, collectSetFlag, []);
}

export function addInstallFlags(command: Command): Command {
  return addInputFlags(command)
    .option('-y, --skip-confirmation', 'do not ask for confirmation')
    .option('--no-wait', 'do not wait for the control plane and gateways to become ready')
    .addOption(new Option('--timeout <duration>', 'how long to wait for readiness').argParser(parseDuration).default(parseDuration('5m'), '5m'));
}

/** The `-f` files, read once (stdin only as the last one, as istioctl). */
export async function readFiles(ctx: CommandContext, files: readonly string[]): Promise<OperatorFile[]> {
  if (files.slice(0, -1).includes('-')) throw new TrellisError(OPERATOR_FILE_INVALID, 'stdin is only allowed as the last filename', {});
  const out: OperatorFile[] = [];
  for (const f of files) out.push(await readOperatorFile(f, ctx.io.cwd, () => readStream(ctx.io.stdin)));
  return out;
}

export interface InstallPlanInputs {
  resolved: ResolvedInstall;
  /** The components to apply for it (deploy/ rendered). */
  components: Component[];
  deployDir: string;
}

/** deploy/ rendered for the given files and sets (plus any files read elsewhere first, e.g. the installed state). */
export async function planInstall(ctx: CommandContext, flags: InstallInputFlags, before: readonly OperatorFile[] = []): Promise<InstallPlanInputs> {
  const resolved = resolveInstall({ files: [...before, ...(await readFiles(ctx, flags.filename))], sets: flags.set });
  const deployDir = findDeployDir(ctx.io.env, __dirname);
  return { resolved, components: renderInstall(await loadAllComponents(deployDir), resolved), deployDir };
}

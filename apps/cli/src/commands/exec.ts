import path from 'node:path';
import type { Command } from 'commander';
import { readLocalPods } from '@trellis/mesh-local';
import { TrellisError } from '@trellis/shared';
import { DEFAULT_STATE_DIR, nonEmpty } from '../client/address';
import { resolveTarget } from '../client/target';
import { globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { checkContainer, execCommand, parseExecTarget, selectPod } from '../exec/exec-target';
import { runInPod } from '../exec/run-in-pod';
import { runInSidecar } from '../exec/sidecar-exec';

export const EXEC_IN_CLUSTER = 'EXEC_IN_CLUSTER';

interface ExecOptions {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

function stateDirOf(globals: GlobalOptions, ctx: CommandContext): string {
  const dir = nonEmpty(globals.stateDir) ?? nonEmpty(ctx.io.env['TRELLIS_STATE_DIR']) ?? DEFAULT_STATE_DIR;
  return path.resolve(ctx.io.cwd, dir);
}

/** In a cluster `kubectl exec` is the real thing; say so rather than imitate it. */
function refuseInCluster(globals: GlobalOptions, ctx: CommandContext, target: string, command: readonly string[]): void {
  const t = resolveTarget({ ...globals, env: ctx.io.env, cwd: ctx.io.cwd });
  if (t.type === 'kube') {
    throw new TrellisError(EXEC_IN_CLUSTER, `x exec runs commands in local-mode pods; in a cluster use: kubectl exec -n ${globals.namespace} ${target} -- ${command.join(' ')}`);
  }
}

/** `trellis x exec [-n ns] [-c container] <pod|deploy/name> -- <command> [args…]` (kubectl exec's shape). */
export function registerExec(program: Command, ctx: CommandContext): void {
  const experimental = program.commands.find((c) => c.name() === 'experimental') ?? program.command('experimental').alias('x').description('Experimental commands');
  experimental
    .command('exec')
    .description("Run a command in a local-mode pod, as kubectl exec: the pod's env (its sidecar as http_proxy) and /etc/hosts; prints its output and exits with its code")
    .argument('<target>', '<pod>, pod/<name> or deploy/<name> (a bare name: the pod, else the deployment)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('-c, --container <name>', "the pod's container, or istio-proxy (its sidecar: pilot-agent request <method> <path> only)")
    .option('-i, --stdin', 'pass stdin to the command')
    .option('-t, --tty', 'accepted for kubectl habits; no terminal is allocated')
    .action(async (targetArg: string, commandArgs: string[], opts: ExecOptions, command: Command) => {
      const globals = globalsOf(command);
      const argv = execCommand(commandArgs);
      const target = parseExecTarget(targetArg);
      refuseInCluster(globals, ctx, targetArg, argv);
      const pod = selectPod(readLocalPods(stateDirOf(globals, ctx)), target, globals.namespace);
      checkContainer(pod, opts.container);
      const code =
        opts.container === 'istio-proxy' && opts.container !== pod.container
          ? await runInSidecar(pod, argv, ctx.io)
          : await runInPod(pod, argv, { stdout: ctx.io.stdout, stderr: ctx.io.stderr, env: ctx.io.env, ...(opts.stdin === true && { stdin: ctx.io.stdin }) });
      if (code !== 0) ctx.io.stderr.write(`command terminated with exit code ${code}\n`);
      ctx.exitCode = code;
    });
}

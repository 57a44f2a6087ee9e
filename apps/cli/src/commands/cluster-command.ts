import type { Command } from 'commander';
import { KubeClient } from '@trellis/mesh-kube';
import { globalsOf, type CommandContext } from '../context';
import { kubeConfigSource, type KubeTargetOptions } from '../install/options';
import { confirm } from '../install/prompt';

/**
 * `--kubeconfig` and `--context` are the program's global options (istioctl's global flags), accepted
 * before or after the command name; its help lists them under "Global Options".
 */
export const withGlobalHelp = (command: Command): Command => command.configureHelp({ showGlobalOptions: true });

export interface ClusterChoice extends KubeTargetOptions {
  /** `-y`: no prompt. */
  readonly yes: boolean;
}

/** The cluster the global `--kubeconfig`/`--context` choose, and the command's `-y`. */
export const clusterChoice = (command: Command, skipConfirmation: boolean | undefined): ClusterChoice => {
  const { kubeconfig, context } = globalsOf(command);
  return { kubeconfig, context, yes: skipConfirmation === true };
};

/** Runs `body` with a client for the chosen cluster (no prompt when `question` is undefined or -y; declined → "Cancelled.", exit 1). */
export async function withCluster(ctx: CommandContext, choice: ClusterChoice, question: string | undefined, body: (client: KubeClient) => Promise<void>): Promise<void> {
  if (question !== undefined && !choice.yes && !(await confirm(ctx.io, question))) {
    ctx.out('Cancelled.\n');
    ctx.exitCode = 1;
    return;
  }
  const client = KubeClient.load(kubeConfigSource(choice, ctx.io.env, ctx.io.cwd));
  try {
    await body(client);
  } finally {
    client.close();
  }
}

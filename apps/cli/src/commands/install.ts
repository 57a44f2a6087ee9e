import { Option, type Command } from 'commander';
import { DEFAULT_INJECTOR_CONFIGURATION_NAME, KubeClient } from '@trellis/mesh-kube';
import { globalsOf, type CommandContext } from '../context';
import { findDeployDir, loadComponents } from '../install/deploy-manifests';
import { loadGatewayApiCrds } from '../install/gateway-api-crds';
import { installComponents, uninstallComponents } from '../install/install';
import { collectMeshConfigSet, withMeshConfigSets, type MeshConfigSet } from '../install/mesh-config-set';
import { kubeConfigSource, parseDuration, type KubeTargetOptions } from '../install/options';
import { confirm } from '../install/prompt';

interface InstallOptions {
  skipConfirmation?: boolean;
  wait: boolean;
  timeout: number;
  set: MeshConfigSet[];
}

interface UninstallOptions {
  skipConfirmation?: boolean;
  purge?: boolean;
}

/**
 * `--kubeconfig` and `--context` are the program's global options (istioctl's global flags), accepted
 * before or after the command name; its help lists them under "Global Options".
 */
const withGlobalHelp = (command: Command): Command => command.configureHelp({ showGlobalOptions: true });

interface ClusterChoice extends KubeTargetOptions {
  /** `-y`: no prompt. */
  readonly yes: boolean;
}

/** The cluster the global `--kubeconfig`/`--context` choose, and the command's `-y`. */
const clusterChoice = (command: Command, skipConfirmation: boolean | undefined): ClusterChoice => {
  const { kubeconfig, context } = globalsOf(command);
  return { kubeconfig, context, yes: skipConfirmation === true };
};

/** Runs `body` with a client for the chosen cluster, after the prompt unless -y; when declined, says so and exits 1. */
async function withCluster(ctx: CommandContext, choice: ClusterChoice, question: string, body: (client: KubeClient) => Promise<void>): Promise<void> {
  if (!choice.yes && !(await confirm(ctx.io, question))) {
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

const deployComponents = (ctx: CommandContext) => loadComponents(findDeployDir(ctx.io.env, __dirname));

/**
 * `trellis install`: istioctl install for Trellis. Applies deploy/ (CRDs, control plane, ingress gateway;
 * the same objects as `kubectl kustomize deploy/`) with server-side apply, then waits for readiness.
 */
export function registerInstall(program: Command, ctx: CommandContext): void {
  withGlobalHelp(program.command('install').description('Install Trellis (CRDs, control plane, ingress gateway) into the cluster'))
    .option('-y, --skip-confirmation', 'do not ask for confirmation')
    .option('--no-wait', 'do not wait for the control plane and gateway to become ready')
    .addOption(new Option('--timeout <duration>', 'how long to wait for readiness').argParser(parseDuration).default(parseDuration('5m'), '5m'))
    .option('--set <meshConfig.path=value>', 'set a MeshConfig field in the istio ConfigMap, e.g. meshConfig.accessLogFile=/dev/stdout (repeatable)', collectMeshConfigSet, [])
    .action(async (opts: InstallOptions, command: Command) => {
      const components = withMeshConfigSets(await deployComponents(ctx), opts.set);
      const gatewayApiCrds = await loadGatewayApiCrds(findDeployDir(ctx.io.env, __dirname));
      await withCluster(ctx, clusterChoice(command, opts.skipConfirmation), 'This will install Trellis into the cluster. Proceed?', (client) =>
        installComponents({ client, components, gatewayApiCrds, wait: opts.wait, timeoutMs: opts.timeout, progress: (line) => ctx.lines([line]) }),
      );
    });
}

/** `trellis uninstall`: removes what install applied and the injector's webhook configuration (`--purge`: CRDs and namespace too). */
export function registerUninstall(program: Command, ctx: CommandContext): void {
  withGlobalHelp(program.command('uninstall').description('Remove Trellis from the cluster (CRDs and istio-system stay unless --purge)'))
    .option('-y, --skip-confirmation', 'do not ask for confirmation')
    .option('--purge', 'also delete the Istio CRDs (and every Istio resource with them) and the istio-system namespace')
    .action(async (opts: UninstallOptions, command: Command) => {
      const components = await deployComponents(ctx);
      const webhook = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: DEFAULT_INJECTOR_CONFIGURATION_NAME } };
      await withCluster(ctx, clusterChoice(command, opts.skipConfirmation), 'All Trellis resources will be removed from the cluster. Proceed?', (client) =>
        uninstallComponents({ client, components, purge: opts.purge === true, runtimeObjects: [webhook], progress: (line) => ctx.lines([line]) }),
      );
    });
}

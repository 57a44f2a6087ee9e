import type { Command } from 'commander';
import { DEFAULT_INJECTOR_CONFIGURATION_NAME } from '@trellis/mesh-kube';
import type { CommandContext } from '../context';
import { findDeployDir, loadAllComponents } from '../install/deploy-manifests';
import { addInstallFlags, planInstall, type InstallFlags } from '../install/flags';
import { loadGatewayApiCrds } from '../install/gateway-api-crds';
import { installComponents, uninstallComponents } from '../install/install';
import { INSTALLED_STATE, installedStateObject } from '../install/installed-state';
import { CLIENT_VERSION } from '../version';
import { clusterChoice, withCluster, withGlobalHelp } from './cluster-command';

interface UninstallOptions {
  skipConfirmation?: boolean;
  purge?: boolean;
}

/** The action of `install` and `manifest apply`: render, confirm, apply, record the installed state. */
export async function runInstall(ctx: CommandContext, opts: InstallFlags, command: Command): Promise<void> {
  const { resolved, components, deployDir } = await planInstall(ctx, opts);
  const gatewayApiCrds = resolved.base ? await loadGatewayApiCrds(deployDir) : undefined;
  const question = `This will install the Trellis ${CLIENT_VERSION} profile "${resolved.profile}" into the cluster. Proceed?`;
  await withCluster(ctx, clusterChoice(command, opts.skipConfirmation), question, (client) =>
    installComponents({
      client,
      components,
      ...(gatewayApiCrds === undefined ? {} : { gatewayApiCrds }),
      installedState: installedStateObject(resolved),
      wait: opts.wait,
      timeoutMs: opts.timeout,
      progress: (line) => ctx.lines([line]),
    }),
  );
}

/**
 * `trellis install`: istioctl install for Trellis. Renders deploy/ for the profile (`--set profile=demo`,
 * default: CRDs, control plane, ingress gateway), `-f` IstioOperator files and `--set` values, applies it with
 * server-side apply, then waits for readiness.
 */
export function registerInstall(program: Command, ctx: CommandContext): void {
  addInstallFlags(withGlobalHelp(program.command('install').description('Install Trellis into the cluster (profiles default, demo, minimal)')))
    .action((opts: InstallFlags, command: Command) => runInstall(ctx, opts, command));
}

/** `trellis uninstall`: removes what any profile installs and the injector's webhook configuration (`--purge`: CRDs and namespace too). */
export function registerUninstall(program: Command, ctx: CommandContext): void {
  withGlobalHelp(program.command('uninstall').description('Remove Trellis from the cluster (CRDs and istio-system stay unless --purge)'))
    .option('-y, --skip-confirmation', 'do not ask for confirmation')
    .option('--purge', 'also delete the Istio CRDs (and every Istio resource with them) and the istio-system namespace')
    .action(async (opts: UninstallOptions, command: Command) => {
      const components = await loadAllComponents(findDeployDir(ctx.io.env, __dirname));
      const webhook = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: DEFAULT_INJECTOR_CONFIGURATION_NAME } };
      await withCluster(ctx, clusterChoice(command, opts.skipConfirmation), 'All Trellis resources will be removed from the cluster. Proceed?', (client) =>
        uninstallComponents({ client, components, purge: opts.purge === true, runtimeObjects: [webhook, INSTALLED_STATE], progress: (line) => ctx.lines([line]) }),
      );
    });
}

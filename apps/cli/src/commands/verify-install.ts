import type { Command } from 'commander';
import { DEFAULT_INJECTOR_CONFIGURATION_NAME } from '@trellis/mesh-kube';
import { TrellisError } from '@trellis/shared';
import type { CommandContext } from '../context';
import { addInputFlags, planInstall, type InstallInputFlags } from '../install/flags';
import { readInstalledState } from '../install/installed-state';
import { verifyComponents, verifyLines } from '../install/verify';
import { clusterChoice, withCluster, withGlobalHelp } from './cluster-command';

export const VERIFY_FAILED = 'VERIFY_FAILED';
const INJECTOR_WEBHOOK = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: DEFAULT_INJECTOR_CONFIGURATION_NAME } };

/**
 * `trellis verify-install`: istioctl's (before 1.24) check that what install applies is there and ready: every
 * object of the rendered profile (CRDs Established, Deployments available) and the injector's webhook
 * configuration the control plane creates. Without -f/--set it checks against the installed state.
 */
export function registerVerifyInstall(program: Command, ctx: CommandContext): void {
  addInputFlags(withGlobalHelp(program.command('verify-install').description('Verify that Trellis is installed as the options (default: the installed state) say')))
    .action(async (opts: InstallInputFlags, command: Command) => {
      await withCluster(ctx, clusterChoice(command, true), undefined, async (client) => {
        const given = opts.filename.length > 0 || opts.set.length > 0;
        const { resolved, components } = await planInstall(ctx, opts, given ? [] : [await readInstalledState(client)]);
        const results = await verifyComponents(client, components, resolved.pilot ? [INJECTOR_WEBHOOK] : []);
        ctx.lines(verifyLines(results, 'istio-system'));
        const failed = results.filter((r) => r.problem !== undefined).length;
        if (failed > 0) {
          throw new TrellisError(VERIFY_FAILED, `Trellis installation failed, incomplete or does not match the ${given ? 'given options' : 'installed state'}: ${failed} of ${results.length} checks failed`, {});
        }
        ctx.lines(['✔ Trellis is installed and verified successfully']);
      });
    });
}

import path from 'node:path';
import { Option, type Command } from 'commander';
import { isTrellisError, TrellisError } from '@trellis/shared';
import { DEFAULT_STATE_DIR, nonEmpty } from '../client/address';
import { KubeApi } from '../client/kube-api';
import { resolveTarget, type Target } from '../client/target';
import { globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { DASHBOARD_COMPONENTS, dashboardComponent, type DashboardComponent } from '../dashboard/components';
import { type DashboardOptions, forwardAndOpen, parseBool, parsePort, untilInterrupted, type WaitForStop } from '../dashboard/dashboard-options';
import { DASHBOARD_POD_NOT_FOUND, inferPod } from '../dashboard/kube-dashboard';
import { assertAnswers, localDashboardUrl } from '../dashboard/local-dashboard';
import { openBrowser } from '../dashboard/open-browser';
import { registerPodDashboards } from '../dashboard/pod-dashboards';

function stateDirOf(globals: GlobalOptions, ctx: CommandContext): string {
  return path.resolve(ctx.io.cwd, nonEmpty(globals.stateDir) ?? nonEmpty(ctx.io.env['TRELLIS_STATE_DIR']) ?? DEFAULT_STATE_DIR);
}

async function localDashboard(ctx: CommandContext, component: DashboardComponent, globals: GlobalOptions, opts: DashboardOptions): Promise<void> {
  const url = localDashboardUrl(component, stateDirOf(globals, ctx));
  await assertAnswers(component, url);
  await openBrowser(url, (t) => ctx.out(t), opts.browser, process.platform, { ...ctx.io.env });
}

async function kubeDashboard(ctx: CommandContext, component: DashboardComponent, target: Extract<Target, { type: 'kube' }>, globals: GlobalOptions, opts: DashboardOptions, wait: WaitForStop): Promise<void> {
  const api = KubeApi.connect(target);
  const pod = await inferPod(api, component.selector, [target.istioNamespace, globals.namespace]).catch((err: unknown) => {
    if (component.instead === undefined || !isTrellisError(err) || err.code !== DASHBOARD_POD_NOT_FOUND) throw err;
    throw new TrellisError(DASHBOARD_POD_NOT_FOUND, `${err.message}. ${component.instead}`, err.context);
  });
  await forwardAndOpen(ctx, api, pod, opts.uiPort ?? component.uiPort, component.path, opts, wait);
}

/** `trellis dashboard|dash|d <prometheus|zipkin|tracing|kiali|grafana|jaeger|envoy|controlz>`: istioctl dashboard's verbs and flags. */
export function registerDashboard(program: Command, ctx: CommandContext, wait: WaitForStop = untilInterrupted): void {
  const dashboard = program
    .command('dashboard')
    .aliases(['dash', 'd'])
    .description('Access to Istio web UIs: local mode prints (and opens) the addon’s URL; a cluster is port-forwarded as istioctl does')
    .option('-p, --port <port>', 'Local port to listen to', parsePort)
    .option('--address <address>', 'Address to listen on (cluster mode). Only accepts IP address or localhost as a value', 'localhost')
    .addOption(new Option('--browser [bool]', 'When --browser is supplied as false, the dashboard is not opened in a browser').default(true).argParser(parseBool));
  for (const component of DASHBOARD_COMPONENTS) {
    dashboard
      .command(component.name)
      .description(`Open ${component.flavor}'s web UI`)
      .option('--ui-port <port>', 'The component dashboard UI port.', parsePort)
      .action(async (_opts: unknown, command: Command) => {
        const globals = globalsOf(command);
        const opts = command.optsWithGlobals<DashboardOptions & GlobalOptions>();
        const found = dashboardComponent(command.name()) ?? component;
        const target = resolveTarget({ ...globals, env: ctx.io.env, cwd: ctx.io.cwd });
        if (target.type === 'local') await localDashboard(ctx, found, globals, opts);
        else await kubeDashboard(ctx, found, target, globals, opts, wait);
      });
  }
  registerPodDashboards(dashboard, ctx, wait);
}

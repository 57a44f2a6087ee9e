/**
 * `trellis dashboard envoy <pod>` and `trellis dashboard controlz <pod>`, istioctl's per-pod dashboards.
 * envoy: the pod's proxy admin (15000, `--ui-port`). controlz: Trellis has no ControlZ UI (istiod's 9876);
 * it opens what the control plane serves instead, its HTTP port's (15014, `--ctrlz_port`) /debug/syncz,
 * beside /debug/config_dump, /version and /metrics. Local mode prints (and opens) the address the pod
 * or control plane listens on; a cluster is port-forwarded as istioctl does.
 */
import type { Command } from 'commander';
import { PROXY_ADMIN_PORT } from '../client/proxy-admin';
import { KubeApi } from '../client/kube-api';
import { resolveTarget, type Target } from '../client/target';
import { globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { type DashboardOptions, forwardAndOpen, parsePort, type WaitForStop } from './dashboard-options';
import { assertAnswers } from './local-dashboard';
import { openBrowser } from './open-browser';
import { podRef, type PodRef } from './pod-ref';
import { kubePod, localPodAddress } from './pod-resolve';

/** The control plane's HTTP (monitoring/debug) port: istiod's 15014. */
export const CONTROL_PLANE_HTTP_PORT = 15014;
const CONTROLZ_PATH = '/debug/syncz';
/** Trellis's proxy admin has no HTML index (Envoy's has): said beside the URL so a 404 at `/` is no surprise. */
export const ENVOY_ADMIN_PATHS = 'the proxy admin has no index page; its endpoints: /config_dump /clusters /stats /certs /memory /ready /logging (POST)';

interface PodDashboardOptions extends DashboardOptions, GlobalOptions {
  selector?: string;
  ctrlz_port?: number;
}

type Kube = Extract<Target, { type: 'kube' }>;

async function show(ctx: CommandContext, flavor: { name: string; flavor: string }, url: string, opts: DashboardOptions): Promise<void> {
  await assertAnswers(flavor, url);
  await openBrowser(url, (t) => ctx.out(t), opts.browser, process.platform, { ...ctx.io.env });
}

async function envoy(ctx: CommandContext, arg: string | undefined, opts: PodDashboardOptions, target: Target, wait: WaitForStop): Promise<void> {
  const ref: PodRef = podRef(arg, opts.selector, opts.namespace);
  const remote = opts.uiPort ?? PROXY_ADMIN_PORT;
  const note = (): boolean => ctx.io.stderr.write(`Note: ${ENVOY_ADMIN_PATHS}\n`);
  if (target.type === 'local') {
    const { pod, ip } = await localPodAddress(ctx.api(opts), ref);
    note();
    return show(ctx, { name: 'envoy', flavor: `Envoy sidecar ${pod}` }, `http://${ip.includes(':') ? `[${ip}]` : ip}:${remote}`, opts);
  }
  const api = KubeApi.connect(target);
  const pod = await kubePod(api, ref);
  note();
  await forwardAndOpen(ctx, api, pod, remote, '', opts, wait);
}

async function controlz(ctx: CommandContext, arg: string | undefined, opts: PodDashboardOptions, target: Target, wait: WaitForStop): Promise<void> {
  if (target.type === 'local') return show(ctx, { name: 'controlz', flavor: 'The control plane' }, `${target.address}${CONTROLZ_PATH}`, opts);
  const kube: Kube = target;
  const ref = podRef(arg, opts.selector, kube.istioNamespace);
  const api = KubeApi.connect(kube);
  await forwardAndOpen(ctx, api, await kubePod(api, ref), opts.ctrlz_port ?? CONTROL_PLANE_HTTP_PORT, CONTROLZ_PATH, opts, wait);
}

/** Adds `envoy` and `controlz` to `trellis dashboard`. */
export function registerPodDashboards(dashboard: Command, ctx: CommandContext, wait: WaitForStop): void {
  const run = (fn: typeof envoy) => async (arg: string | undefined, _opts: unknown, command: Command) => {
    const globals = globalsOf(command);
    const target = resolveTarget({ ...globals, env: ctx.io.env, cwd: ctx.io.cwd });
    await fn(ctx, arg, command.optsWithGlobals<PodDashboardOptions>(), target, wait);
  };
  dashboard
    .command('envoy [pod]')
    .description('Open the Envoy admin dashboard for a sidecar ([<type>/]<name>[.<namespace>], e.g. productpage-123-456.default or deployment/productpage-v1)')
    .option('-l, --selector <selector>', 'Label selector')
    .option('--ui-port <port>', 'The component dashboard UI port.', parsePort)
    .action(run(envoy));
  dashboard
    .command('controlz [pod]')
    .description(`Open the control plane's debug page: Trellis has no ControlZ UI; its HTTP port (${CONTROL_PLANE_HTTP_PORT}) serves ${CONTROLZ_PATH}, /debug/config_dump, /version and /metrics. Local mode: the local control plane (no pod needed)`)
    .option('-l, --selector <selector>', 'Label selector (e.g. app=istiod)')
    .option('--ctrlz_port <port>', 'The control plane HTTP port', parsePort)
    .action(run(controlz));
}

/**
 * What the observability addons add to the stack's start: the trace store (apps/trace-store, Istio's
 * `zipkin` addon) before the proxies, so their first spans have somewhere to go, and Prometheus once every
 * proxy is up. Neither is needed for Bookinfo: a failure is one line of progress, never a failed start.
 */
import path from 'node:path';
import { errorMessage, isTrellisError } from '@trellis/shared';
import { addonRegistration, addonUrl, ZIPKIN_PORT, type MeshAddonName } from './addon-services';
import { AddonsFile } from './addons-file';
import type { ControlPlaneClient } from './control-plane-client';
import { hasSidecar, type LocalPlan } from './plan';
import type { ProcessGroup, ProcessSpec } from './processes';
import { findPrometheus, LOCAL_SCRAPE_INTERVAL, preparePrometheus, PROMETHEUS_INSTALL, PROMETHEUS_PACKAGE } from './prometheus';
import { waitForReady } from './readiness';

export interface AddonContext {
  readonly group: ProcessGroup;
  readonly plan: LocalPlan;
  readonly client: ControlPlaneClient;
  readonly file: AddonsFile;
  readonly distDir: string;
  readonly stateDir: string;
  readonly logLevel: string;
  readonly readyTimeoutMs: number;
  readonly report: (line: string) => void;
}

const why = (err: unknown): string => (isTrellisError(err) ? `${err.message}: ${JSON.stringify(err.context)}` : errorMessage(err));

/** Registers the addon's Services and pod, starts it, waits for `readyPath`; true when it is up. */
async function startAddon(ctx: AddonContext, name: MeshAddonName, spec: ProcessSpec, readyPath: string): Promise<boolean> {
  const url = addonUrl(name, ctx.plan);
  try {
    ctx.group.start(spec);
    await waitForReady(name, url + readyPath, ctx.readyTimeoutMs, { signal: ctx.group.stopped });
    const reg = addonRegistration(name, ctx.plan);
    for (const svc of reg.services) await ctx.client.registerService(svc);
    await ctx.client.registerWorkload(reg.workload);
    ctx.file.started({ name, url });
    return true;
  } catch (err) {
    ctx.file.failed({ name, reason: why(err) });
    ctx.report(`✘ ${name} did not start (${why(err)}); see ${path.join(ctx.stateDir, 'logs', spec.name + '.log')} — the mesh runs without it`);
    return false;
  }
}

export function traceStoreSpec(plan: LocalPlan, distDir: string, logLevel: string): ProcessSpec {
  return {
    name: 'zipkin',
    script: path.join(distDir, 'apps', 'trace-store', 'main.js'),
    args: ['--host', plan.controlPlane.ip, '--port', String(ZIPKIN_PORT)],
    env: { LOG_LEVEL: logLevel, STORAGE_METHOD: 'mem' },
  };
}

/** The trace store as `zipkin.istio-system:9411` (and `tracing.istio-system:80`). */
export async function startTraceStore(ctx: AddonContext): Promise<void> {
  if (await startAddon(ctx, 'zipkin', traceStoreSpec(ctx.plan, ctx.distDir, ctx.logLevel), '/health')) {
    ctx.report(`✔ Zipkin (trace store) ready (${addonUrl('zipkin', ctx.plan)}, zipkin.istio-system:9411)`);
  }
}

/** Prometheus when Debian's package is installed, else one line naming it. */
export async function startPrometheus(ctx: AddonContext, find: () => string | undefined = findPrometheus): Promise<void> {
  const binary = find();
  if (binary === undefined) {
    ctx.file.failed({ name: 'prometheus', reason: 'prometheus is not installed', fix: PROMETHEUS_INSTALL });
    ctx.report(`… Prometheus not started: no prometheus binary (Debian's ${PROMETHEUS_PACKAGE} package: ${PROMETHEUS_INSTALL})`);
    return;
  }
  const spec = preparePrometheus(binary, ctx.plan, path.join(ctx.stateDir, 'prometheus'));
  if (await startAddon(ctx, 'prometheus', spec, '/-/ready')) {
    ctx.report(`✔ Prometheus ready (${addonUrl('prometheus', ctx.plan)}, scraping ${ctx.plan.pods.filter(hasSidecar).length + 1} proxies every ${LOCAL_SCRAPE_INTERVAL})`);
  }
}

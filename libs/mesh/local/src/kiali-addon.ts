/**
 * Kiali (apps/kiali, the backend of the prebuilt Kiali UI) as a local-mode addon: started last, once
 * the control plane, the proxies and Prometheus are up, on the host's 127.0.0.1:20001 as `istioctl
 * dashboard kiali` reaches it. Its UI build comes from tools/kiali-ui/fetch.mjs (run here; it only checks
 * the cache when the build is there). Like the other addons it is optional: a failure is one line.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { errorMessage } from '@trellis/shared';
import type { AddonContext } from './addons-stack';
import { readLocalAddons } from './addons-file';
import { assertPortFree } from './ports';
import type { ProcessSpec } from './processes';
import { waitForReady } from './readiness';

export const KIALI_PORT = 20001;
export const KIALI_UI_FETCH = 'node tools/kiali-ui/fetch.mjs';

export interface LocalKialiConfig {
  readonly host: string;
  readonly port: number;
}

export interface KialiInputs {
  readonly controlPlaneUrl: string;
  readonly uiDir: string;
  readonly prometheusUrl?: string;
  readonly tracingUrl?: string;
}

export function kialiSpec(ctx: Pick<AddonContext, 'distDir' | 'logLevel'>, kiali: LocalKialiConfig, inputs: KialiInputs): ProcessSpec {
  const args = ['--host', kiali.host, '--port', String(kiali.port), '--control-plane-url', inputs.controlPlaneUrl, '--ui-dir', inputs.uiDir];
  if (inputs.prometheusUrl !== undefined) args.push('--prometheus-url', inputs.prometheusUrl);
  if (inputs.tracingUrl !== undefined) args.push('--tracing-url', inputs.tracingUrl);
  return { name: 'kiali', script: path.join(ctx.distDir, 'apps', 'kiali', 'main.js'), args, env: { LOG_LEVEL: ctx.logLevel } };
}

/** The UI's directory from the fetch script (cached after the first run), or the reason it is not there. */
function fetchUi(repoRoot: string): { dir: string } | { error: string } {
  const res = spawnSync(process.execPath, [path.join(repoRoot, 'tools', 'kiali-ui', 'fetch.mjs')], { encoding: 'utf8', timeout: 180_000 });
  if (res.status !== 0) return { error: (res.stderr || res.error?.message || 'fetch failed').trim() };
  return { dir: path.join(res.stdout.trim(), 'build') };
}

export async function startKiali(ctx: AddonContext, kiali: LocalKialiConfig, controlPlaneUrl: string): Promise<void> {
  const fail = (reason: string, fix?: string): void => {
    ctx.file.failed({ name: 'kiali', reason, ...(fix !== undefined && { fix }) });
    ctx.report(`✘ Kiali did not start (${reason}) — the mesh runs without it`);
  };
  const ui = fetchUi(path.dirname(ctx.distDir));
  if ('error' in ui) return fail(`no Kiali UI: ${ui.error}`, KIALI_UI_FETCH);
  try {
    await assertPortFree(kiali.host, kiali.port, '--kiali-port');
  } catch {
    return fail(`${kiali.host}:${kiali.port} is in use (choose another with --kiali-port)`);
  }
  const running = readLocalAddons(ctx.stateDir)?.running ?? [];
  const prometheusUrl = running.find((a) => a.name === 'prometheus')?.url;
  const tracingUrl = running.find((a) => a.name === 'zipkin')?.url;
  const url = `http://${kiali.host}:${kiali.port}`;
  try {
    ctx.group.start(kialiSpec(ctx, kiali, { controlPlaneUrl, uiDir: ui.dir, ...(prometheusUrl !== undefined && { prometheusUrl }), ...(tracingUrl !== undefined && { tracingUrl }) }));
    await waitForReady('kiali', `${url}/healthz`, ctx.readyTimeoutMs, { signal: ctx.group.stopped });
  } catch (err) {
    return fail(`${errorMessage(err)}; see ${path.join(ctx.stateDir, 'logs', 'kiali.log')}`);
  }
  ctx.file.started({ name: 'kiali', url });
  ctx.report(`✔ Kiali ready (${url}/kiali, traffic from ${prometheusUrl !== undefined ? 'Prometheus' : 'the in-process scraper of the proxies'})`);
}

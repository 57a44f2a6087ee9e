import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Logger } from '@trellis/shared';
import { ControlPlaneClient } from './control-plane-client';
import { readKubeManifest } from './manifest';
import { planLocalMesh, toWorkload, type LocalPlan } from './plan';
import { assertPortFree } from './ports';
import { ProcessGroup } from './processes';
import { appReadyUrl, appSpec, controlPlaneSpec, gatewaySpec, proxyReadyUrl, sidecarSpec, type SpecContext } from './process-specs';
import { waitForReady } from './readiness';

/** Everything `npm start` needs, read once from flags/env by the local-runner app. */
export interface LocalStackConfig {
  readonly distDir: string;
  readonly stateDir: string;
  readonly reset: boolean;
  readonly gatewayHost: string;
  readonly gatewayPort: number;
  readonly addressBlock: string;
  readonly manifestPath: string;
  /** Applied on the first start only (the tutorial's first step: bookinfo-gateway.yaml). */
  readonly initialConfig: readonly string[];
  readonly logLevel: string;
  readonly accessLog: boolean;
  readonly readyTimeoutMs: number;
}

export type ProgressReporter = (message: string) => void;

export interface LocalStack {
  readonly plan: LocalPlan;
  readonly gatewayUrl: string;
  readonly controlPlaneUrl: string;
  stop(): Promise<void>;
}

function readYamlObjects(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as unknown)
    .filter((o) => o !== null && o !== undefined);
}

async function startControlPlane(group: ProcessGroup, plan: LocalPlan, ctx: SpecContext, cfg: LocalStackConfig): Promise<ControlPlaneClient> {
  const url = `http://${plan.controlPlane.ip}:${plan.controlPlane.httpPort}`;
  group.start(controlPlaneSpec(plan, ctx));
  await waitForReady('control-plane', `${url}/ready`, cfg.readyTimeoutMs);
  const client = new ControlPlaneClient(url);
  for (const svc of plan.services) await client.registerService(svc);
  for (const pod of plan.pods) await client.registerWorkload(toWorkload(pod));
  // The control plane restores the previous run's registry; its pods are gone now.
  const current = new Set(plan.pods.map((p) => `${p.namespace}/${p.name}`));
  for (const w of await client.workloads()) {
    if (!current.has(`${w.namespace}/${w.name}`)) await client.removeWorkload(w.namespace, w.name);
  }
  return client;
}

async function startWorkloads(group: ProcessGroup, plan: LocalPlan, ctx: SpecContext, cfg: LocalStackConfig, report: ProgressReporter): Promise<void> {
  await Promise.all(
    plan.pods.map(async (pod) => {
      group.start(appSpec(pod, ctx));
      group.start(sidecarSpec(pod, plan, ctx));
      await waitForReady(pod.name, appReadyUrl(pod), cfg.readyTimeoutMs);
      await waitForReady(`${pod.name}.istio-proxy`, proxyReadyUrl(pod.ip), cfg.readyTimeoutMs);
      report(`✔ ${pod.deployment} ready (pod ${pod.name}, 2/2)`);
    }),
  );
}

/** Brings up control plane, ingress gateway and every workload with its sidecar, in that order. */
export async function startLocalStack(cfg: LocalStackConfig, logger: Logger, report: ProgressReporter): Promise<LocalStack> {
  await assertPortFree(cfg.gatewayHost, cfg.gatewayPort);
  const configDir = path.join(cfg.stateDir, 'config');
  if (cfg.reset) rmSync(configDir, { recursive: true, force: true });
  const firstStart = !existsSync(configDir);
  mkdirSync(cfg.stateDir, { recursive: true });

  const manifest = readKubeManifest(readFileSync(cfg.manifestPath, 'utf8'), cfg.manifestPath);
  const plan = planLocalMesh(manifest, { ...cfg, namespace: 'default', domainSuffix: 'cluster.local' });
  const ctx: SpecContext = { distDir: cfg.distDir, stateDir: cfg.stateDir, logLevel: cfg.logLevel, accessLog: cfg.accessLog };
  const group = new ProcessGroup(path.join(cfg.stateDir, 'logs'), logger, (name, code) =>
    report(`✘ ${name} exited unexpectedly (code ${code}); see ${path.join(cfg.stateDir, 'logs', name + '.log')}`),
  );
  const stop = async (): Promise<void> => {
    await group.stopAll(5000);
    rmSync(path.join(cfg.stateDir, 'control-plane.json'), { force: true });
  };
  try {
    report('… starting control plane');
    const client = await startControlPlane(group, plan, ctx, cfg);
    const controlPlaneUrl = `http://${plan.controlPlane.ip}:${plan.controlPlane.httpPort}`;
    writeFileSync(path.join(cfg.stateDir, 'control-plane.json'), JSON.stringify({ address: controlPlaneUrl, xds: `${plan.controlPlane.ip}:${plan.controlPlane.xdsPort}` }) + '\n');
    report(`✔ Control plane ready (${controlPlaneUrl}, xDS ${plan.controlPlane.ip}:${plan.controlPlane.xdsPort})`);
    if (firstStart) {
      for (const file of cfg.initialConfig) await client.apply(readYamlObjects(file));
      report(`✔ Applied ${cfg.initialConfig.map((f) => path.basename(f)).join(', ')} (first start)`);
    }
    report(`… starting ingress gateway and ${plan.pods.length} workloads with sidecars`);
    group.start(gatewaySpec(plan, ctx));
    await startWorkloads(group, plan, ctx, cfg, report);
    await waitForReady('istio-ingressgateway', proxyReadyUrl(plan.gateway.ip), cfg.readyTimeoutMs);
    report(`✔ Ingress gateway ready (${plan.gateway.name})`);
  } catch (err) {
    await stop();
    throw err;
  }
  const gatewayUrl = `http://${cfg.gatewayHost === '127.0.0.1' ? 'localhost' : cfg.gatewayHost}:${cfg.gatewayPort}`;
  return { plan, gatewayUrl, controlPlaneUrl: `http://${plan.controlPlane.ip}:${plan.controlPlane.httpPort}`, stop };
}

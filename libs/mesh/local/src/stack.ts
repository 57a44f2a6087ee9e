import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readMeshProxyDefaults } from './proxy-metadata';
import { TrellisError, type Logger } from '@trellis/shared';
import { AddonsFile } from './addons-file';
import { startPrometheus, startTraceStore, type AddonContext } from './addons-stack';
import { startKiali, type LocalKialiConfig } from './kiali-addon';
import { ControlPlaneClient } from './control-plane-client';
import { LocalGatewayApi } from './gateway-api-local';
import { findMariaDb, isMariaDbPod, prepareMariaDb, type MariaDbBinaries } from './mariadb';
import { hasSidecar, planLocalMesh, toWorkload, type LocalPlan, type PodPlan } from './plan';
import { podDir } from './pod-hosts';
import { assertPortFree } from './ports';
import type { ProcessGroup } from './processes';
import { supervisedGroup } from './supervised-group';
import type { BackoffPolicy } from './restart-backoff';
import { appEndpoint, appReadyUrl, appSpec, controlPlaneSpec, gatewaySpec, proxyReadyUrl, sidecarSpec, type SpecContext } from './process-specs';
import { waitForReady, waitForTcp } from './readiness';
import { readStackManifests } from './sample-manifests';
import type { LocalSamplesConfig } from './sample-pods';
import { checkSampleBinaries, startPodNetwork, startSampleContainer, type PodNetwork } from './sample-stack';
import { startRateLimitSample } from './sample-ratelimit';
import { withGatewayResolver } from './proxy-hosts';
import { GATEWAY_SERVICE_ACCOUNT, writeProxyCredentials, type ProxyCredentials } from './workload-credentials';

/** Everything `npm start` needs, read once from flags/env by the local-runner app. */
export interface LocalStackConfig {
  readonly distDir: string;
  readonly stateDir: string;
  readonly reset: boolean;
  readonly gatewayHost: string;
  readonly gatewayPort: number;
  /** Host port of the gateway's 8443 (Gateway servers on 443): `SECURE_INGRESS_PORT`. */
  readonly gatewayHttpsPort: number;
  readonly addressBlock: string;
  /** Kubernetes manifests applied together (`bookinfo.yaml`, plus e.g. the mysql variant's two files). */
  readonly manifestPaths: readonly string[];
  /** What the mysqldb image runs on an empty datadir (samples/bookinfo/src/mysql/mysqldb-init.sql). */
  readonly mysqlInitScript: string;
  /** Applied on the first start only (the tutorial's first step: bookinfo-gateway.yaml). */
  readonly initialConfig: readonly string[];
  readonly logLevel: string;
  readonly accessLog: boolean;
  readonly readyTimeoutMs: number;
  /** Istio's samples applied next to Bookinfo (`--with httpbin,sleep@foo,…`). */
  readonly samples?: LocalSamplesConfig;
  /** The Kiali addon on the host (`npm start` default 127.0.0.1:20001); absent = not started (`--no-kiali`). */
  readonly kiali?: LocalKialiConfig;
  /** How crashed processes are restarted (default: the kubelet's 10 s doubling to 5 min). */
  readonly restartBackoff?: BackoffPolicy;
}

export type ProgressReporter = (message: string) => void;

export interface LocalStack {
  readonly plan: LocalPlan;
  readonly gatewayUrl: string;
  /** Istio's ingress variables for this host: `INGRESS_HOST`, `INGRESS_PORT`, `SECURE_INGRESS_PORT`. */
  readonly ingress: { readonly host: string; readonly port: number; readonly securePort: number };
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
  await waitForReady('control-plane', `${url}/ready`, cfg.readyTimeoutMs, { signal: group.stopped });
  const client = new ControlPlaneClient(url);
  for (const svc of [plan.gateway.service, ...plan.services]) await client.registerService(svc);
  for (const pod of plan.pods) await client.registerWorkload(toWorkload(pod));
  // The control plane restores the previous run's registry; its pods are gone now.
  const current = new Set(plan.pods.map((p) => `${p.namespace}/${p.name}`));
  for (const w of await client.workloads()) {
    if (!current.has(`${w.namespace}/${w.name}`)) await client.removeWorkload(w.namespace, w.name);
  }
  return client;
}

/** The pod's main container: mariadbd for the mysqldb image, else the Bookinfo app; resolves when it is up. */
async function startContainer(group: ProcessGroup, pod: PodPlan, ctx: SpecContext, cfg: LocalStackConfig, mariadb: MariaDbBinaries | undefined): Promise<void> {
  if (await startRateLimitSample(group, pod, { ...ctx, readyTimeoutMs: cfg.readyTimeoutMs, samples: cfg.samples?.manifests ?? [] })) return;
  if (await startSampleContainer(group, pod, cfg.samples, cfg.readyTimeoutMs, ctx.distDir)) return;
  if (mariadb !== undefined && isMariaDbPod(pod)) {
    group.start(await prepareMariaDb(pod, path.join(podDir(cfg.stateDir, pod), 'mysql'), cfg.mysqlInitScript, mariadb));
    const { host, port } = appEndpoint(pod);
    return waitForTcp(pod.name, host, port, cfg.readyTimeoutMs, { signal: group.stopped });
  }
  group.start(appSpec(pod, ctx));
  return waitForReady(pod.name, appReadyUrl(pod), cfg.readyTimeoutMs, { signal: group.stopped });
}

/** Every proxy's token for its ServiceAccount, next to its pod (the control plane has made the key by now). */
function proxyCredentials(plan: LocalPlan, stateDir: string): Promise<Map<string, ProxyCredentials>> {
  const gateway = { pod: plan.gateway.name, namespace: plan.gateway.namespace, serviceAccount: GATEWAY_SERVICE_ACCOUNT };
  const pods = plan.pods.filter(hasSidecar).map((p) => ({ pod: p.name, namespace: p.namespace, serviceAccount: p.serviceAccount }));
  return writeProxyCredentials(stateDir, `${plan.controlPlane.ip}:${plan.controlPlane.caPort}`, [gateway, ...pods]);
}

async function startWorkloads(group: ProcessGroup, plan: LocalPlan, ctx: SpecContext, cfg: LocalStackConfig, report: ProgressReporter, creds: Map<string, ProxyCredentials>): Promise<void> {
  const mariadb = plan.pods.some(isMariaDbPod) ? findMariaDb() : undefined;
  await Promise.all(
    plan.pods.map(async (pod) => {
      if (hasSidecar(pod)) group.start(sidecarSpec(pod, plan, ctx, creds.get(pod.name)));
      await startContainer(group, pod, ctx, cfg, mariadb);
      if (hasSidecar(pod)) await waitForReady(`${pod.name}.istio-proxy`, proxyReadyUrl(pod.ip), cfg.readyTimeoutMs, { signal: group.stopped });
      const ns = pod.namespace === 'default' ? '' : `, namespace ${pod.namespace}`;
      report(`✔ ${pod.deployment} ready (pod ${pod.name}${ns}, ${hasSidecar(pod) ? '2/2' : '1/1, no sidecar'})`);
    }),
  );
}

/**
 * One run of the stack, stoppable at any point: `stop()` during start-up stops whatever has started
 * (and anything a start-up step was about to start is refused), then `start()` rejects with
 * STACK_INTERRUPTED. The runner calls `stop()` on the first SIGINT/SIGTERM and `kill()` on the second.
 */
export interface LocalStackRun {
  start(): Promise<LocalStack>;
  /** SIGTERM to every process group (reverse start order), SIGKILL after 5 s, in-process servers closed; runs once. */
  stop(): Promise<void>;
  /** SIGKILL every process group now (a forced stop, or the runner exiting); how many were still running. */
  kill(): number;
}

export const interruptedError = (): TrellisError => new TrellisError('STACK_INTERRUPTED', 'start-up interrupted; every process started was stopped');

interface RunState {
  network?: PodNetwork;
  gatewayApi?: LocalGatewayApi;
}

interface Prepared {
  readonly plan: LocalPlan;
  readonly ctx: SpecContext;
  readonly firstStart: boolean;
}

/** Everything checked before a process starts: free host ports, the plan, binaries the pods need. */
async function prepare(cfg: LocalStackConfig): Promise<Prepared> {
  await assertPortFree(cfg.gatewayHost, cfg.gatewayPort, '--port');
  await assertPortFree(cfg.gatewayHost, cfg.gatewayHttpsPort, '--https-port');
  const configDir = path.join(cfg.stateDir, 'config');
  if (cfg.reset) rmSync(configDir, { recursive: true, force: true });
  const firstStart = !existsSync(configDir);
  mkdirSync(cfg.stateDir, { recursive: true });
  const manifest = readStackManifests(cfg.manifestPaths, cfg.samples?.manifests ?? []);
  const plan = planLocalMesh(manifest, { ...cfg, namespace: 'default', domainSuffix: 'cluster.local' });
  // Fail before starting anything when a pod needs MariaDB and it is not installed.
  if (plan.pods.some(isMariaDbPod)) findMariaDb();
  checkSampleBinaries(plan, cfg.samples);
  const ctx: SpecContext = { distDir: cfg.distDir, stateDir: cfg.stateDir, logLevel: cfg.logLevel, accessLog: cfg.accessLog, ...readMeshProxyDefaults(cfg.stateDir) };
  return { plan, ctx, firstStart };
}

/** Brings up control plane, ingress gateway and every workload with its sidecar, in that order. */
async function bringUp(cfg: LocalStackConfig, group: ProcessGroup, state: RunState, addons: AddonsFile, report: ProgressReporter, logger: Logger): Promise<Omit<LocalStack, 'stop'>> {
  const { plan, ctx, firstStart } = await prepare(cfg);
  report('… starting control plane');
  const client = await startControlPlane(group, plan, ctx, cfg);
  const controlPlaneUrl = `http://${plan.controlPlane.ip}:${plan.controlPlane.httpPort}`;
  if (group.stopped.aborted) throw interruptedError();
  writeFileSync(path.join(cfg.stateDir, 'control-plane.json'), JSON.stringify({ address: controlPlaneUrl, xds: `${plan.controlPlane.ip}:${plan.controlPlane.xdsPort}` }) + '\n');
  report(`✔ Control plane ready (${controlPlaneUrl}, xDS ${plan.controlPlane.ip}:${plan.controlPlane.xdsPort})`);
  const addonCtx: AddonContext = { group, plan, client, file: addons, distDir: cfg.distDir, stateDir: cfg.stateDir, logLevel: cfg.logLevel, readyTimeoutMs: cfg.readyTimeoutMs, report };
  await startTraceStore(addonCtx);
  if (firstStart) {
    for (const file of cfg.initialConfig) await client.apply(readYamlObjects(file));
    report(`✔ Applied ${cfg.initialConfig.map((f) => path.basename(f)).join(', ')} (first start)`);
  }
  const bare = plan.pods.filter((p) => !hasSidecar(p)).length;
  report(`… starting ingress gateway and ${plan.pods.length} workloads with sidecars${bare > 0 ? ` (${bare} without)` : ''}`);
  const creds = await proxyCredentials(plan, cfg.stateDir);
  state.network = await startPodNetwork(plan, cfg.stateDir, plan.services, cfg.distDir);
  // stopped while it was opening: the shutdown may have passed it already
  if (group.stopped.aborted) throw interruptedError();
  for (const at of state.network.skipped) report(`… kube-proxy: ${at} not bound (ports below 1024 need root)`);
  group.start(withGatewayResolver(gatewaySpec(plan, ctx, creds.get(plan.gateway.name)), plan, cfg.stateDir));
  await startWorkloads(group, plan, ctx, cfg, report, creds);
  await waitForReady('istio-ingressgateway', proxyReadyUrl(plan.gateway.ip), cfg.readyTimeoutMs, { signal: group.stopped });
  report(`✔ Ingress gateway ready (${plan.gateway.name})`);
  if (group.stopped.aborted) throw interruptedError();
  // Gateway API: each Gateway applied (now or later) gets its own router process, as Istio deploys one per Gateway
  const firstHost = 10 + plan.pods.length;
  state.gatewayApi = new LocalGatewayApi({ client, plan, group, ctx, readyTimeoutMs: cfg.readyTimeoutMs, report, logger, firstHost, addressBlock: cfg.addressBlock, domainSuffix: 'cluster.local' }).start();
  await startPrometheus(addonCtx);
  if (cfg.kiali !== undefined) await startKiali(addonCtx, cfg.kiali, controlPlaneUrl);
  if (group.stopped.aborted) throw interruptedError();
  const gatewayUrl = `http://${cfg.gatewayHost === '127.0.0.1' ? 'localhost' : cfg.gatewayHost}:${cfg.gatewayPort}`;
  const ingress = { host: cfg.gatewayHost, port: cfg.gatewayPort, securePort: cfg.gatewayHttpsPort };
  return { plan, gatewayUrl, ingress, controlPlaneUrl };
}

export function localStackRun(cfg: LocalStackConfig, logger: Logger, report: ProgressReporter): LocalStackRun {
  const state: RunState = {};
  let stopping: Promise<void> | undefined;
  // once stopping, start-up steps still unwinding print nothing (their failures are the stop's doing)
  const say: ProgressReporter = (line) => {
    if (stopping === undefined) report(line);
  };
  const group = supervisedGroup(cfg.stateDir, logger, say, cfg.restartBackoff, () => state.network?.update(group.statuses()));
  const addons = new AddonsFile(cfg.stateDir);
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await state.gatewayApi?.stop();
      await group.stopAll(5000);
      await state.network?.close();
      addons.remove();
      rmSync(path.join(cfg.stateDir, 'control-plane.json'), { force: true });
    })());
  const start = async (): Promise<LocalStack> => {
    if (stopping !== undefined) throw interruptedError();
    const steps = bringUp(cfg, group, state, addons, say, logger);
    const interrupted = new Promise<never>((_, reject) => group.stopped.addEventListener('abort', () => reject(interruptedError()), { once: true }));
    interrupted.catch(() => undefined); // a stop after a good start rejects it too, unobserved
    try {
      return { ...(await Promise.race([steps, interrupted])), stop };
    } catch (err) {
      steps.catch(() => undefined);
      const wasStopping = stopping !== undefined;
      await stop();
      // late in-process servers (made while the shutdown was under way) and the exec index
      await state.gatewayApi?.stop();
      await state.network?.close();
      throw wasStopping ? interruptedError() : err;
    }
  };
  return { start, stop, kill: () => group.killAll() };
}

/** Brings up control plane, ingress gateway and every workload with its sidecar; `stop()` on the result stops it all. */
export function startLocalStack(cfg: LocalStackConfig, logger: Logger, report: ProgressReporter): Promise<LocalStack> {
  return localStackRun(cfg, logger, report).start();
}

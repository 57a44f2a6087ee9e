/**
 * Istio's samples/ratelimit in local mode (`--with ratelimit`): the redis pod (docker.io/redis) runs
 * Debian's redis-server on its app endpoint, the ratelimit pod (docker.io/envoyproxy/ratelimit) runs
 * apps/ratelimit. The ratelimit container mounts a ConfigMap (`volumes[].configMap`) at a path under
 * RUNTIME_ROOT: its keys are written as files under the pod's directory and RUNTIME_ROOT points there,
 * as the kubelet's volume would. The app resolves `redis` through the pod's hosts file (its sidecar's
 * bound TCP listener), like the Bookinfo apps.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { parseAllDocuments } from 'yaml';
import type { PodPlan } from './plan';
import { hostsPreloadFile, podDir, podHostsFile } from './pod-hosts';
import type { ProcessGroup, ProcessSpec } from './processes';
import { waitForReady, waitForTcp } from './readiness';
import type { SampleManifest } from './sample-manifests';

export const REDIS_PACKAGE = 'redis-server';
export const isRedisPod = (pod: PodPlan): boolean => pod.app === 'redis';
export const isRateLimitPod = (pod: PodPlan): boolean => pod.app === 'ratelimit';

/** Debian's redis-server, or `REDIS_MISSING` naming the package (checked before anything starts). */
export function findRedisServer(pathEnv = process.env['PATH'] ?? ''): string {
  const dirs = [...pathEnv.split(':').filter((d) => d !== ''), '/usr/bin', '/usr/sbin'];
  const found = dirs.map((d) => path.join(d, 'redis-server')).find((f) => existsSync(f));
  if (found === undefined) throw new TrellisError('REDIS_MISSING', 'the redis pod needs redis-server', { package: REDIS_PACKAGE });
  return found;
}

function endpoint(pod: PodPlan, containerPort: number): { host: string; port: number } {
  const ep = pod.appEndpoints[String(containerPort)] ?? `${pod.ip}:${containerPort}`;
  const colon = ep.lastIndexOf(':');
  return { host: ep.slice(0, colon), port: Number(ep.slice(colon + 1)) };
}

/** redis-server on the pod's app endpoint, no persistence (the image's emptyDir-less default), a fresh dir. */
export function redisSpec(pod: PodPlan, stateDir: string, binary: string): { spec: ProcessSpec; ready: { host: string; port: number } } {
  const ep = endpoint(pod, 6379);
  const dir = path.join(podDir(stateDir, pod), 'redis');
  mkdirSync(dir, { recursive: true });
  const args = ['--bind', ep.host, '--port', String(ep.port), '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--dir', dir];
  return { spec: { name: pod.name, command: binary, script: '', args, env: {} }, ready: ep };
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function docs(files: readonly string[]): Obj[] {
  return files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => asObj(d.toJS())));
}

/** The ConfigMap volumes of the pod's Deployment: mount path → the ConfigMap's data, from the applied files. */
export function configMapMounts(pod: PodPlan, files: readonly string[]): { mountPath: string; data: Record<string, string> }[] {
  const all = docs(files);
  const nsOf = (o: Obj): string => String(asObj(o['metadata'])['namespace'] ?? pod.namespace);
  const named = (kind: string, name: string): Obj | undefined => all.find((o) => o['kind'] === kind && asObj(o['metadata'])['name'] === name && nsOf(o) === pod.namespace);
  const podSpec = asObj(asObj(asObj(named('Deployment', pod.deployment)?.['spec'])['template'])['spec']);
  const container = asArr(podSpec['containers']).map(asObj).find((c) => c['name'] === pod.container) ?? {};
  return asArr(container['volumeMounts']).map(asObj).flatMap((m) => {
    const volume = asArr(podSpec['volumes']).map(asObj).find((v) => v['name'] === m['name']);
    const cmName = asObj(volume?.['configMap'])['name'];
    if (typeof cmName !== 'string') return [];
    const cm = named('ConfigMap', cmName);
    if (cm === undefined) throw new TrellisError('CONFIGMAP_MISSING', `the ${pod.deployment} pod mounts ConfigMap ${cmName}, which no applied manifest defines`, { configMap: cmName, namespace: pod.namespace });
    return [{ mountPath: String(m['mountPath']), data: Object.fromEntries(Object.entries(asObj(cm['data'])).map(([k, v]) => [k, String(v)])) }];
  });
}

/**
 * apps/ratelimit with the container's env, its listeners on the pod's app endpoints (8080 HTTP,
 * 8081 gRPC, 6070 debug) and RUNTIME_ROOT moved under the pod's directory with the ConfigMap files.
 */
export function rateLimitSpec(pod: PodPlan, stateDir: string, distDir: string, samples: readonly SampleManifest[]): { spec: ProcessSpec; readyUrl: string } {
  const root = path.join(podDir(stateDir, pod), 'data');
  const containerRoot = pod.env['RUNTIME_ROOT'] ?? '/srv/runtime_data/current';
  for (const m of configMapMounts(pod, samples.map((s) => s.file))) {
    const rel = path.relative(containerRoot, m.mountPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new TrellisError('INVALID_ARGUMENT', `ConfigMap mount ${m.mountPath} is outside RUNTIME_ROOT ${containerRoot}`, { mountPath: m.mountPath });
    const dir = path.join(root, rel);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(m.data)) writeFileSync(path.join(dir, file), text);
  }
  const [http, grpc, debug] = [endpoint(pod, 8080), endpoint(pod, 8081), endpoint(pod, 6070)];
  const env = {
    ...pod.env,
    HOSTNAME: pod.name,
    TRELLIS_HOSTS_FILE: podHostsFile(stateDir, pod),
    RUNTIME_ROOT: root,
    HOST: http.host, PORT: String(http.port),
    GRPC_HOST: grpc.host, GRPC_PORT: String(grpc.port),
    DEBUG_HOST: debug.host, DEBUG_PORT: String(debug.port),
  };
  const spec = { name: pod.name, script: path.join(distDir, 'apps', 'ratelimit', 'main.js'), nodeArgs: ['--require', hostsPreloadFile(stateDir)], args: [], env };
  return { spec, readyUrl: `http://${http.host}:${http.port}/healthcheck` };
}

/** Starts the redis or ratelimit pod's container and resolves when it is up; false for other pods. */
export async function startRateLimitSample(group: ProcessGroup, pod: PodPlan, o: { stateDir: string; distDir: string; readyTimeoutMs: number; samples: readonly SampleManifest[] }): Promise<boolean> {
  if (isRedisPod(pod)) {
    const { spec, ready } = redisSpec(pod, o.stateDir, findRedisServer());
    group.start(spec);
    await waitForTcp(pod.name, ready.host, ready.port, o.readyTimeoutMs, { signal: group.stopped });
    return true;
  }
  if (!isRateLimitPod(pod)) return false;
  const { spec, readyUrl } = rateLimitSpec(pod, o.stateDir, o.distDir, o.samples);
  group.start(spec);
  await waitForReady(pod.name, readyUrl, o.readyTimeoutMs, { signal: group.stopped });
  return true;
}

/**
 * `<state>/local-pods.json`: the running stack's pods as `trellis x exec` needs them (written when
 * the stack starts, removed when it stops) — what the kubelet knows about a pod to exec in it:
 * its address, whether it has a sidecar, its /etc/hosts and its container's environment.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { hasSidecar, type LocalPlan, type PodPlan } from './plan';
import { podHostsFile } from './pod-hosts';
import { imageExecPath } from './sample-image-bin';
import type { ProcessStatus } from './supervision';

export const LOCAL_PODS_FILE = 'local-pods.json';

export interface LocalPodRecord {
  readonly name: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly ip: string;
  readonly sidecar: boolean;
  /** The main container's name (the sidecar is `istio-proxy`). */
  readonly container: string;
  readonly hostsFile: string;
  /** The environment a command exec'd in the pod gets (container env, HOSTNAME, the sidecar as proxy). */
  readonly env: Readonly<Record<string, string>>;
  /** kubectl get pods' STATUS: `Running`, or `CrashLoopBackOff` while a container waits to be restarted. */
  readonly status?: string;
  /** kubectl get pods' RESTARTS: the containers' restarts added up. */
  readonly restarts?: number;
  readonly containers?: readonly ProcessStatus[];
}

/**
 * A sidecar pod's traffic goes through its sidecar as an HTTP proxy (local mode's capture): apps read
 * `HTTP_PROXY`, curl and most CLI tools only the lower-case `http_proxy`, so both are set.
 */
export function podExecEnv(pod: PodPlan, stateDir: string): Record<string, string> {
  const proxy: Record<string, string> = hasSidecar(pod) ? { HTTP_PROXY: `http://${pod.ip}:15001`, http_proxy: `http://${pod.ip}:15001` } : {};
  return { ...pod.env, HOSTNAME: pod.name, ...proxy, ...imageExecPath(stateDir, pod) };
}

export function localPodRecord(pod: PodPlan, stateDir: string): LocalPodRecord {
  return { name: pod.name, namespace: pod.namespace, deployment: pod.deployment, ip: pod.ip, sidecar: hasSidecar(pod), container: pod.container ?? pod.app, hostsFile: podHostsFile(stateDir, pod), env: podExecEnv(pod, stateDir) };
}

/** The pod's processes (app container, `<pod>.istio-proxy`) folded into kubectl's STATUS and RESTARTS. */
function withStatus(record: LocalPodRecord, statuses: readonly ProcessStatus[]): LocalPodRecord {
  const containers = statuses.filter((s) => s.name === record.name || s.name === `${record.name}.istio-proxy`);
  if (containers.length === 0) return record;
  const status = containers.some((c) => c.state === 'CrashLoopBackOff') ? 'CrashLoopBackOff' : 'Running';
  return { ...record, status, restarts: containers.reduce((n, c) => n + c.restarts, 0), containers };
}

/**
 * Written when the stack starts and again on every process state change (renamed into place, so a
 * reader never sees half a file); `processes` also holds the control plane, gateways and addons.
 */
export function writeLocalPods(stateDir: string, plan: LocalPlan, statuses: readonly ProcessStatus[] = []): void {
  const pods = plan.pods.map((p) => withStatus(localPodRecord(p, stateDir), statuses));
  const file = path.join(stateDir, LOCAL_PODS_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify({ pods, processes: statuses }, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

/** Every supervised process as the runner last wrote it (`[]` when no stack runs). */
export function readLocalProcesses(stateDir: string): ProcessStatus[] {
  try {
    const parsed = JSON.parse(readFileSync(path.join(stateDir, LOCAL_PODS_FILE), 'utf8')) as { processes?: ProcessStatus[] };
    return parsed.processes ?? [];
  } catch {
    return [];
  }
}

export function removeLocalPods(stateDir: string): void {
  rmSync(path.join(stateDir, LOCAL_PODS_FILE), { force: true });
}

/** The running stack's pods, or `LOCAL_STACK_NOT_RUNNING` when no stack runs with this state dir. */
export function readLocalPods(stateDir: string): LocalPodRecord[] {
  const file = path.join(stateDir, LOCAL_PODS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TrellisError('LOCAL_STACK_NOT_RUNNING', `no local stack is running with this state dir (no ${file}): start one with npm start -- --with httpbin,sleep`, { file });
  }
  const parsed = JSON.parse(text) as { pods?: LocalPodRecord[] };
  return parsed.pods ?? [];
}

import { writeFileSync } from 'node:fs';
import type { MeshService } from '@trellis/mesh-api';
import { serviceKey } from './kube-proxy';
import type { PodPlan } from './plan';
import { podHostsFile, serviceDnsNames, writePodHosts } from './pod-hosts';

/**
 * The `/etc/hosts` of a pod without a sidecar: every Service's names (Kubernetes DNS search path
 * from the pod's namespace) → the Service's virtual IP, where the local kube-proxy forwards to the
 * selected pods — what cluster DNS + kube-proxy give a plain pod. (Sidecar pods get `podHostsText`.)
 */
export function noSidecarHostsText(pod: PodPlan, services: readonly MeshService[], vips: ReadonlyMap<string, string>): string {
  const lines = [`127.0.0.1\tlocalhost`, `${pod.ip}\t${pod.name}`];
  for (const svc of services) {
    const vip = vips.get(serviceKey(svc));
    if (vip !== undefined) lines.push(`${vip}\t${serviceDnsNames(svc, pod.namespace).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** Writes the pod's files as writePodHosts does, with the no-sidecar hosts file. */
export function writeNoSidecarPodHosts(stateDir: string, pod: PodPlan, services: readonly MeshService[], vips: ReadonlyMap<string, string>): void {
  writePodHosts(stateDir, pod, services);
  writeFileSync(podHostsFile(stateDir, pod), noSidecarHostsText(pod, services, vips));
}

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshService } from '@trellis/mesh-api';
import type { PodPlan } from './plan';
import { POD_HOSTS_PRELOAD } from './pod-hosts-preload';

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/** The names a pod in `fromNamespace` resolves a Service by (Kubernetes DNS search path). */
export function serviceDnsNames(svc: MeshService, fromNamespace: string): string[] {
  const qualified = [`${svc.name}.${svc.namespace}`, `${svc.name}.${svc.namespace}.svc`, svc.hostname];
  return svc.namespace === fromNamespace ? [svc.name, ...qualified] : qualified;
}

/**
 * The pod's `/etc/hosts`: every Service with a TCP port points at the pod's own address, where its
 * sidecar binds `<podIP>_<port>` (interception NONE: Istio's Sidecar egress bind + captureMode NONE).
 * HTTP services need no entry: apps send HTTP to their sidecar as `HTTP_PROXY`.
 */
export function podHostsText(pod: PodPlan, services: readonly MeshService[]): string {
  const lines = [`127.0.0.1\tlocalhost`, `${pod.ip}\t${pod.name}`];
  for (const svc of services) {
    if (svc.ports.every((p) => HTTP_PROTOCOLS.has(p.protocol.toUpperCase()))) continue;
    lines.push(`${pod.ip}\t${serviceDnsNames(svc, pod.namespace).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** Where a pod's files live under the state dir, and the resolver preload every app is started with. */
export const podDir = (stateDir: string, pod: PodPlan): string => path.join(stateDir, 'pods', pod.name);
export const podHostsFile = (stateDir: string, pod: PodPlan): string => path.join(podDir(stateDir, pod), 'hosts');
export const hostsPreloadFile = (stateDir: string): string => path.join(stateDir, 'pods', 'hosts-preload.cjs');

/** Writes the preload (once) and the pod's hosts file. */
export function writePodHosts(stateDir: string, pod: PodPlan, services: readonly MeshService[]): void {
  mkdirSync(podDir(stateDir, pod), { recursive: true });
  const preload = hostsPreloadFile(stateDir);
  if (!existsSync(preload)) writeFileSync(preload, POD_HOSTS_PRELOAD);
  writeFileSync(podHostsFile(stateDir, pod), podHostsText(pod, services));
}

/**
 * Pods (the registry's WorkloadInstances) grouped into Deployment-like workloads, as Kiali lists them:
 * a pod named `<deployment>-<template-hash>-<suffix>` (Kubernetes' generated names, which local mode
 * reproduces) belongs to `<deployment>`; any other pod is its own workload.
 */
import type { WorkloadInstance } from '@trellis/mesh-api';
import type { InventoryWorkload } from '@trellis/kiali-traffic';

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const GENERATED_SUFFIX = new RegExp(`-${SAFE}{6,10}-${SAFE}{5}$`);

/** `reviews-v2-7d79d5bd5d-8zzqd` → `reviews-v2`; a name without the suffix is returned as is. */
export function deploymentName(podName: string): string {
  const stripped = podName.replace(GENERATED_SUFFIX, '');
  return stripped === '' ? podName : stripped;
}

export function groupWorkloads(pods: readonly WorkloadInstance[]): InventoryWorkload[] {
  const byKey = new Map<string, InventoryWorkload>();
  for (const pod of pods) {
    const name = deploymentName(pod.name);
    const key = `${pod.namespace}/${name}`;
    let wl = byKey.get(key);
    if (wl === undefined) {
      const { app, version } = pod.labels;
      wl = { namespace: pod.namespace, name, labels: { ...pod.labels }, serviceAccount: pod.serviceAccount, pods: [], sidecar: pod.sidecar };
      if (app !== undefined) wl.app = app;
      if (version !== undefined) wl.version = version;
      byKey.set(key, wl);
    }
    wl.pods.push({ name: pod.name, address: pod.address, ready: pod.ready });
    wl.sidecar = wl.sidecar || pod.sidecar;
  }
  return [...byKey.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

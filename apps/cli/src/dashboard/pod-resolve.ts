/**
 * The pod a `trellis dashboard envoy|controlz` names, found where it runs: locally in the control plane's
 * registry and /debug/syncz (each local pod's proxy binds its admin port on the pod's own address),
 * in a cluster through the API server (a deployment's pods by its `spec.selector.matchLabels`).
 */
import type { WorkloadInstance } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type { MeshBackend } from '../client/backend';
import type { KubeApi } from '../client/kube-api';
import { findProxy } from '../client/proxy-admin';
import { DASHBOARD_POD_NOT_FOUND, inferPod } from './kube-dashboard';
import { matchesLabels, selectorLabels, type PodRef } from './pod-ref';

function localWorkload(ref: PodRef, workloads: readonly WorkloadInstance[]): string {
  const inNs = workloads.filter((w) => w.namespace === ref.namespace);
  const found =
    ref.kind === 'selector'
      ? inNs.find((w) => matchesLabels(w.labels, selectorLabels(ref.selector)))
      : inNs.find((w) => (ref.kind === 'pod' ? w.name === ref.name : w.name.startsWith(`${ref.name}-`)));
  if (found !== undefined) return found.name;
  const what = ref.kind === 'selector' ? `no pods found with selector ${ref.selector}` : `${ref.kind} ${ref.name} not found`;
  throw new TrellisError(DASHBOARD_POD_NOT_FOUND, `${what} in namespace ${ref.namespace}`, { namespace: ref.namespace });
}

/** Local mode: the pod's `name.namespace` and the address its proxy listens on. */
export async function localPodAddress(api: MeshBackend, ref: PodRef): Promise<{ pod: string; ip: string }> {
  const name = ref.kind === 'pod' ? ref.name : localWorkload(ref, await api.workloads());
  const pod = `${name}.${ref.namespace}`;
  return { pod, ip: findProxy(await api.syncz(), pod).ip };
}

interface KubeDeployment {
  spec?: { selector?: { matchLabels?: Record<string, string> } };
}

/** Cluster mode: the pod itself, or the first pod of the deployment or selector. */
export async function kubePod(api: KubeApi, ref: PodRef): Promise<{ name: string; namespace: string }> {
  if (ref.kind === 'pod') return { name: ref.name, namespace: ref.namespace };
  if (ref.kind === 'selector') return inferPod(api, ref.selector, [ref.namespace]);
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}/deployments/${encodeURIComponent(ref.name)}`;
  const deployment = await api.request<KubeDeployment>('GET', path);
  const labels = Object.entries(deployment.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length === 0) throw new TrellisError(DASHBOARD_POD_NOT_FOUND, `deployment ${ref.name}.${ref.namespace} has no matchLabels selector`, { deployment: ref.name });
  return inferPod(api, labels.join(','), [ref.namespace]);
}

import type { OwnerReference, Pod } from './types';

/** The workload that owns a pod (Deployment, Job, …), as far as the pod itself tells. */
export interface WorkloadRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

export interface Workload {
  /** Deployment/Job/… name, else the pod name (or generateName without its trailing dash). */
  readonly name: string;
  /** `kubernetes://apis/apps/v1/namespaces/default/deployments/reviews-v1` (Istio's ISTIO_META_OWNER). */
  readonly owner: string | undefined;
  readonly kind: string | undefined;
}

function controllerOf(pod: Pod): OwnerReference | undefined {
  const refs = pod.metadata?.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? refs[0];
}

/** A ReplicaSet `reviews-v1-7d9f8c` with label pod-template-hash=7d9f8c belongs to Deployment `reviews-v1`. */
function fromOwner(pod: Pod, ref: OwnerReference): WorkloadRef {
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) {
    return { apiVersion: 'apps/v1', kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) };
  }
  return { apiVersion: ref.apiVersion ?? 'v1', kind: ref.kind, name: ref.name };
}

function ownerUri(ref: WorkloadRef, namespace: string): string {
  const group = ref.apiVersion.includes('/') ? `apis/${ref.apiVersion}` : `api/${ref.apiVersion}`;
  return `kubernetes://${group}/namespaces/${namespace}/${ref.kind.toLowerCase()}s/${ref.name}`;
}

/** `hint` (kube-inject knows the enclosing Deployment) wins over ownerReferences. */
export function workloadOf(pod: Pod, namespace: string, hint?: WorkloadRef): Workload {
  const controller = controllerOf(pod);
  const ref = hint ?? (controller ? fromOwner(pod, controller) : undefined);
  if (ref) return { name: ref.name, owner: ownerUri(ref, namespace), kind: ref.kind };
  const name = pod.metadata?.name;
  if (name) return { name, owner: ownerUri({ apiVersion: 'v1', kind: 'Pod', name }, namespace), kind: 'Pod' };
  return { name: (pod.metadata?.generateName ?? 'unknown').replace(/-$/, ''), owner: undefined, kind: undefined };
}

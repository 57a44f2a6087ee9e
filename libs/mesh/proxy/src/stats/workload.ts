import type { ProxyNode } from '../proxy-node';

/**
 * A workload as Istio's telemetry sees it (istio/proxy extensions/common/metadata_object.h
 * WorkloadMetadataObject): what the peer metadata exchange carries and the standard metrics' labels
 * name. Empty string = not known (the metrics say `unknown`, or `latest` for a revision).
 */
export interface WorkloadInfo {
  /** Pod name (`NAME`). */
  readonly instance: string;
  readonly namespace: string;
  /** The Deployment (or other owner) name (`WORKLOAD_NAME`): `reviews-v1`. */
  readonly workload: string;
  readonly canonicalService: string;
  readonly canonicalRevision: string;
  /** `app` / `version` labels. */
  readonly app: string;
  readonly version: string;
  /** `CLUSTER_ID` (`Kubernetes`). */
  readonly cluster: string;
}

export const CANONICAL_NAME_LABEL = 'service.istio.io/canonical-name';
export const CANONICAL_REVISION_LABEL = 'service.istio.io/canonical-revision';

// Kubernetes' generated-name alphabet (no vowels): `<deployment>-<pod-template-hash>-<suffix>`.
const GENERATED = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/**
 * Istio's workload name of a pod (the injector's ISTIO_META_WORKLOAD_NAME, kube.GetDeployMetaFromPod):
 * a ReplicaSet-owned pod's Deployment — the pod name without `-<pod-template-hash>-<suffix>`; with a
 * `pod-template-hash` label, exactly that suffix is cut. Otherwise the pod name itself.
 */
export function workloadName(podName: string, labels: Readonly<Record<string, string>>): string {
  const hash = labels['pod-template-hash'];
  if (hash !== undefined && hash !== '') {
    const i = podName.lastIndexOf(`-${hash}-`);
    if (i > 0) return podName.slice(0, i);
  }
  return GENERATED.exec(podName)?.[1] ?? podName;
}

/** Istio's canonical service: the canonical-name label, else `app.kubernetes.io/name`, else `app`, else the workload name. */
export function canonicalService(labels: Readonly<Record<string, string>>, workload: string): string {
  return labels[CANONICAL_NAME_LABEL] || labels['app.kubernetes.io/name'] || labels['app'] || workload;
}

/** Istio's canonical revision: the canonical-revision label, else `app.kubernetes.io/version`, else `version`, else `latest`. */
export function canonicalRevision(labels: Readonly<Record<string, string>>): string {
  return labels[CANONICAL_REVISION_LABEL] || labels['app.kubernetes.io/version'] || labels['version'] || 'latest';
}

/** This proxy's own workload, from its node (nothing known → every field empty). */
export function localWorkload(node: ProxyNode): WorkloadInfo {
  if (node.name === '') return { instance: '', namespace: node.namespace, workload: '', canonicalService: '', canonicalRevision: '', app: '', version: '', cluster: node.clusterId };
  const workload = workloadName(node.name, node.labels);
  return {
    instance: node.name,
    namespace: node.namespace,
    workload,
    canonicalService: canonicalService(node.labels, workload),
    canonicalRevision: canonicalRevision(node.labels),
    app: node.labels['app'] ?? '',
    version: node.labels['version'] ?? '',
    cluster: node.clusterId,
  };
}

/** The namespace in a SPIFFE principal (`spiffe://td/ns/<ns>/sa/<sa>`), as istio_stats' getNamespace. */
export function principalNamespace(principal: string): string {
  const begin = principal.indexOf('/ns/');
  if (begin < 0) return '';
  const end = principal.indexOf('/', begin + 4);
  return end < 0 ? principal.slice(begin + 4) : principal.slice(begin + 4, end);
}

import { TrellisError } from '@trellis/shared';
import type { DeployObject } from './deploy-manifests';

interface ResourceType {
  plural: string;
  namespaced: boolean;
  /** Apply order: what others need comes first (namespaces, CRDs, identities and RBAC, then workloads). */
  rank: number;
}

/** The kinds deploy/ uses, keyed `apiVersion/Kind`. */
const TYPES: Readonly<Record<string, ResourceType>> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false, rank: 0 },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { plural: 'customresourcedefinitions', namespaced: false, rank: 1 },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true, rank: 2 },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false, rank: 3 },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true, rank: 3 },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false, rank: 4 },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true, rank: 4 },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true, rank: 5 },
  'v1/Secret': { plural: 'secrets', namespaced: true, rank: 5 },
  'v1/Service': { plural: 'services', namespaced: true, rank: 6 },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true, rank: 7 },
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': { plural: 'mutatingwebhookconfigurations', namespaced: false, rank: 8 },
};

export const UNSUPPORTED_KIND = 'UNSUPPORTED_KIND';

function typeOf(o: Pick<DeployObject, 'apiVersion' | 'kind'>): ResourceType {
  const t = TYPES[`${o.apiVersion}/${o.kind}`];
  if (t === undefined) throw new TrellisError(UNSUPPORTED_KIND, `trellis install does not know how to apply ${o.kind} (${o.apiVersion})`, { kind: o.kind });
  return t;
}

/** The object's REST path, e.g. `/apis/apps/v1/namespaces/istio-system/deployments/istiod`. */
export function resourcePath(o: Pick<DeployObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const t = typeOf(o);
  const prefix = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = t.namespaced ? `/namespaces/${o.metadata.namespace ?? 'default'}` : '';
  return `${prefix}${ns}/${t.plural}/${o.metadata.name}`;
}

/** istioctl's object label: `Deployment:istio-system:istiod`, `ClusterRole::trellis-istiod`. */
export function objectLabel(o: Pick<DeployObject, 'kind' | 'metadata'>): string {
  return `${o.kind}:${o.metadata.namespace ?? ''}:${o.metadata.name}`;
}

/** Stable sort into apply order (an unknown kind throws, before anything is sent). */
export function applyOrder<T extends { object: DeployObject }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index, rank: typeOf(item.object).rank }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.item);
}

/** Reverse of apply order: workloads first, namespaces last. */
export function deleteOrder<T extends { object: DeployObject }>(items: readonly T[]): T[] {
  return applyOrder(items).reverse();
}

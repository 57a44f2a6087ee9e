import { ALL_KINDS, KIND_INFO, type IstioKind, type KindInfo } from '@trellis/mesh-api';
import { servedResources, servedVersions } from '../client/discovery';
import type { KubeClient } from '../client/kube-client';
import type { KubeList } from '../client/types';
import type { IstioObject } from './convert';

/** Newest first: the version the control plane reads when the server serves several. */
const VERSION_PREFERENCE = ['v1', 'v1beta1', 'v1alpha3'] as const;

/** The API version used for each Istio kind, e.g. `{ VirtualService: 'v1', … }`. */
export type IstioVersions = Readonly<Record<IstioKind, string>>;

function byPreference(info: KindInfo): string[] {
  return VERSION_PREFERENCE.filter((v) => info.versions.includes(v));
}

/** Resource names the server serves in one group version (e.g. a cached `servedResources`). */
export type ServedResources = (group: string, version: string) => Promise<ReadonlySet<string>>;

/**
 * The version of `kind` the server serves, preferring v1, then v1beta1, then v1alpha3; undefined when
 * its CRD is not installed. Versions are asked one at a time, newest first.
 */
export async function servedIstioVersion(kind: IstioKind, served: ServedResources): Promise<string | undefined> {
  const info = KIND_INFO[kind];
  for (const version of byPreference(info)) {
    if ((await served(info.group, version)).has(info.plural)) return version;
  }
  return undefined;
}

/**
 * Ask API discovery which version of each Istio kind the server serves, preferring v1, then
 * v1beta1, then v1alpha3. Kinds whose CRD is missing get their newest version (their informer
 * keeps retrying until the CRD appears).
 */
export async function discoverIstioVersions(client: KubeClient, kinds: readonly IstioKind[] = Object.keys(KIND_INFO) as IstioKind[]): Promise<IstioVersions> {
  const groups = [...new Set(ALL_KINDS.map((k) => k.group))];
  const served = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const version of await servedVersions(client, group)) {
      served.set(`${group}/${version}`, await servedResources(client, group, version));
    }
  }
  const lookup: ServedResources = async (group, version) => served.get(`${group}/${version}`) ?? new Set();
  const out = {} as Record<IstioKind, string>;
  for (const kind of kinds) {
    out[kind] = (await servedIstioVersion(kind, lookup)) ?? byPreference(KIND_INFO[kind])[0] ?? 'v1';
  }
  return out;
}

/** `/apis/<group>/<version>/<plural>` (all namespaces) or `/apis/<group>/<version>/namespaces/<ns>/<plural>[/<name>]`. */
export function istioPath(kind: IstioKind, version: string, namespace?: string, name?: string): string {
  const info = KIND_INFO[kind];
  const base = `/apis/${info.group}/${version}`;
  if (namespace === undefined) return `${base}/${info.plural}`;
  const collection = `${base}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`;
  return name === undefined ? collection : `${collection}/${encodeURIComponent(name)}`;
}

/** The version part of `networking.istio.io/v1beta1`. */
export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/** The objects of one Istio kind in `version`: in `namespace`, or in every namespace. */
export async function listIstioObjects(client: KubeClient, kind: IstioKind, version: string, namespace?: string): Promise<IstioObject[]> {
  return (await client.request<KubeList<IstioObject>>('GET', istioPath(kind, version, namespace))).items;
}

/** One Istio object as the API server stores it (a 404 `KUBE_API_ERROR` when it does not exist). */
export function getIstioObject(client: KubeClient, kind: IstioKind, version: string, namespace: string, name: string): Promise<IstioObject> {
  return client.request<IstioObject>('GET', istioPath(kind, version, namespace, name));
}

import { isNotFound } from './errors';
import type { KubeClient } from './kube-client';

interface ApiGroup {
  versions?: { version: string }[];
}

interface ApiResourceList {
  resources?: { name: string }[];
}

/** API path prefix of a group version: `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** Versions the server serves for `group` (empty when the group is unknown). */
export async function servedVersions(client: KubeClient, group: string): Promise<string[]> {
  try {
    const g = await client.request<ApiGroup>('GET', `/apis/${group}`);
    return (g.versions ?? []).map((v) => v.version);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** Resource names (plurals and subresources) served in one group version (empty when not served). */
export async function servedResources(client: KubeClient, group: string, version: string): Promise<Set<string>> {
  try {
    const list = await client.request<ApiResourceList>('GET', groupVersionPath(group, version));
    return new Set((list.resources ?? []).map((r) => r.name));
  } catch (err) {
    if (isNotFound(err)) return new Set();
    throw err;
  }
}

/**
 * The first version in `preferences` in which the server serves `group`/`resource`, or undefined.
 * E.g. EndpointSlices: `['v1', 'v1beta1']` gives `v1beta1` on Kubernetes 1.20.
 */
export async function preferredVersion(client: KubeClient, group: string, resource: string, preferences: readonly string[]): Promise<string | undefined> {
  const served = new Set(await servedVersions(client, group));
  for (const version of preferences) {
    if (!served.has(version)) continue;
    if ((await servedResources(client, group, version)).has(resource)) return version;
  }
  return undefined;
}

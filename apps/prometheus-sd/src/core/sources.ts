/** The Kubernetes collections a discovery lists and watches, and its target groups from their caches. */
import type { KubeDiscovery, SdRole } from './discovery';
import { endpointsGroups } from './endpoints';
import type { SdEndpoints, SdNode, SdPod, SdService } from './kube-objects';
import type { FileSdGroup } from './labels';
import { nodeGroups } from './node';
import { podGroups } from './pod';
import { serviceGroups } from './service';

export type SdResource = 'pods' | 'services' | 'endpoints' | 'nodes';
const RESOURCE: Record<SdRole, SdResource> = { pod: 'pods', service: 'services', endpoints: 'endpoints', node: 'nodes' };

export interface SourceSpec {
  resource: SdResource;
  /** undefined: all namespaces (or cluster-scoped). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The API collection path of a source. */
export function sourcePath(s: SourceSpec): string {
  return s.namespace === undefined ? `/api/v1/${s.resource}` : `/api/v1/namespaces/${s.namespace}/${s.resource}`;
}

export function sourceKey(s: SourceSpec): string {
  return `${sourcePath(s)}?l=${s.labelSelector ?? ''}&f=${s.fieldSelector ?? ''}`;
}

function spec(d: KubeDiscovery, role: SdRole, namespace: string | undefined): SourceSpec {
  const sel = d.selectors.find((s) => s.role === role);
  return {
    resource: RESOURCE[role],
    ...(namespace === undefined ? {} : { namespace }),
    ...(sel?.label === undefined ? {} : { labelSelector: sel.label }),
    ...(sel?.field === undefined ? {} : { fieldSelector: sel.field }),
  };
}

/** Per role, the sources in namespace order (nodes are cluster-scoped: namespaces do not apply, as in Prometheus). */
export function sourcesFor(d: KubeDiscovery): Map<SdRole, SourceSpec[]> {
  const namespaces: (string | undefined)[] = d.role === 'node' || d.namespaces.length === 0 ? [undefined] : d.namespaces;
  const roles: SdRole[] = d.role === 'endpoints' ? ['endpoints', 'service', 'pod'] : [d.role];
  return new Map(roles.map((r) => [r, namespaces.map((ns) => spec(d, r, ns))]));
}

/** What the caches hold, per source, for computing groups. */
export interface SourceView {
  list(role: SdRole): readonly unknown[];
  get(role: SdRole, namespace: string, name: string): unknown;
}

const byKey = (a: { metadata: { namespace?: string; name: string } }, b: { metadata: { namespace?: string; name: string } }): number =>
  `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`);

/** The discovery's target groups, objects in namespace/name order so the file changes only when targets do. */
export function discoveryGroups(d: KubeDiscovery, view: SourceView): FileSdGroup[] {
  switch (d.role) {
    case 'pod':
      return [...(view.list('pod') as SdPod[])].sort(byKey).flatMap(podGroups);
    case 'service':
      return [...(view.list('service') as SdService[])].sort(byKey).flatMap(serviceGroups);
    case 'node':
      return [...(view.list('node') as SdNode[])].sort(byKey).flatMap(nodeGroups);
    case 'endpoints': {
      const lookup = {
        service: (ns: string, name: string) => view.get('service', ns, name) as SdService | undefined,
        pod: (ns: string, name: string) => view.get('pod', ns, name) as SdPod | undefined,
      };
      return [...(view.list('endpoints') as SdEndpoints[])].sort(byKey).flatMap((e) => endpointsGroups(e, lookup));
    }
  }
}

/** The file_sd JSON text: one group per line. */
export function fileSdText(groups: readonly FileSdGroup[]): string {
  return groups.length === 0 ? '[]\n' : `[\n${groups.map((g) => JSON.stringify(g)).join(',\n')}\n]\n`;
}

import type { MeshConfig, MeshService, ProxyInfo, Sidecar, VirtualService } from '@trellis/mesh-api';
import { intersectHosts, resolveHost } from './hosts';
import { namespaceOf, sortedByCreation } from './order';
import { labelsMatch } from './label-index';

/**
 * Istio's visibility (`pkg/config/visibility`): unset = the mesh default, else `*` = every
 * namespace, `.` = the owner's namespace, `~` = none, else the listed namespaces.
 */
export function isExportedTo(exportTo: readonly string[] | undefined, owner: string, to: string, meshDefault?: readonly string[]): boolean {
  const list = exportTo !== undefined && exportTo.length > 0 ? exportTo : meshDefault;
  if (list === undefined || list.length === 0) return true;
  return list.some((e) => e === '*' || e === to || (e === '.' && owner === to));
}

/** A Service's visibility from `to` (its `networking.istio.io/exportTo`, else meshConfig.defaultServiceExportTo). */
export function serviceVisible(svc: MeshService, to: string, mesh: MeshConfig | undefined): boolean {
  return isExportedTo(svc.exportTo, svc.namespace, to, mesh?.defaultServiceExportTo);
}

/** The Sidecar resource for a proxy: workload-selected in its namespace, else namespace default, else root default. */
export function selectSidecar(sidecars: readonly Sidecar[], proxy: Pick<ProxyInfo, 'namespace' | 'labels'>, rootNamespace: string): Sidecar | undefined {
  const sorted = sortedByCreation(sidecars);
  const inNs = sorted.filter((s) => namespaceOf(s) === proxy.namespace);
  const selected = inNs.find((s) => s.spec.workloadSelector?.labels && labelsMatch(s.spec.workloadSelector.labels, proxy.labels));
  const nsDefault = inNs.find((s) => !s.spec.workloadSelector);
  const rootDefault = sorted.find((s) => namespaceOf(s) === rootNamespace && !s.spec.workloadSelector);
  return selected ?? nsDefault ?? rootDefault;
}

/** One `egress.hosts` entry: `namespace/dnsName`, with `.` already resolved to the Sidecar's namespace. */
export interface EgressHost {
  /** `*` = any namespace, `~` = none, else one namespace. */
  readonly namespace: string;
  readonly host: string;
}

/**
 * What a Sidecar's egress listeners import, as one list of hosts (the union over its listeners:
 * a port-specific listener narrows which listener serves a host, not whether it is known).
 * Undefined = no egress section: Istio's default scope, everything visible.
 */
export function egressHosts(sidecar: Sidecar | undefined, proxyNamespace: string): EgressHost[] | undefined {
  const listeners = sidecar?.spec.egress;
  if (listeners === undefined || listeners.length === 0) return undefined;
  return listeners.flatMap((l) =>
    l.hosts.map((h) => {
      const slash = h.indexOf('/');
      const ns = slash < 0 ? '*' : h.slice(0, slash);
      return { namespace: ns === '.' ? proxyNamespace : ns, host: slash < 0 ? h : h.slice(slash + 1) };
    }),
  );
}

/** Whether an egress host imports `host` (exact or wildcard, either side) declared in `namespace`. */
export function imports(hosts: readonly EgressHost[], namespace: string, host: string): boolean {
  return hosts.some((e) => e.namespace !== '~' && (e.namespace === '*' || e.namespace === namespace) && intersectHosts(e.host, host) !== undefined);
}

/** VirtualServices the scope imports: one of their hosts matches an egress host in the VS's namespace. */
export function importedVirtualServices(hosts: readonly EgressHost[], vss: readonly VirtualService[], domainSuffix: string): VirtualService[] {
  return vss.filter((vs) => (vs.spec.hosts ?? []).some((h) => imports(hosts, namespaceOf(vs), resolveHost(h, namespaceOf(vs), domainSuffix))));
}

/** The hosts an imported VirtualService routes to (Istio adds them to the scope's services). */
export function virtualServiceDestinations(vs: VirtualService, domainSuffix: string): string[] {
  const http = (vs.spec.http ?? []).flatMap((r) => [...(r.route ?? []).map((d) => d.destination.host), ...(r.mirror ? [r.mirror.host] : []), ...(r.mirrors ?? []).map((m) => m.destination.host)]);
  const l4 = [...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])].flatMap((r) => (r.route ?? []).map((d) => d.destination.host));
  const hosts = [...http, ...l4];
  return [...new Set(hosts.map((h) => resolveHost(h, namespaceOf(vs), domainSuffix)))];
}

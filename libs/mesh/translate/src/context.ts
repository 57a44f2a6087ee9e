import type { DestinationRule, MeshSnapshot, ProxyInfo, Resource, Sidecar, VirtualService, WorkloadInstance } from '@trellis/mesh-api';
import { intersectHosts, resolveHost } from './hosts';
import { namespaceOf, sortedByCreation } from './order';
import { buildServiceModels, type ServiceModel } from './services';
import { egressHosts, importedVirtualServices, imports, isExportedTo, selectSidecar, serviceVisible, virtualServiceDestinations, type EgressHost } from './sidecar-scope';
import { DEFAULT_TRANSLATE_OPTIONS, type TranslateOptions } from './translate-options';

/** Everything a translation step needs: the (order-normalised) snapshot, the proxy, the service index. */
export interface TranslateContext {
  readonly snapshot: MeshSnapshot;
  readonly proxy: ProxyInfo;
  /** The services the proxy imports (exported to its namespace; a Sidecar's egress hosts narrow them). */
  readonly services: readonly ServiceModel[];
  /** Every service exported to the proxy's namespace, by hostname. */
  readonly serviceByHost: ReadonlyMap<string, ServiceModel>;
  /** Visible DestinationRules, creation order. */
  readonly destinationRules: readonly DestinationRule[];
  /** Visible (and, with Sidecar egress hosts, imported) VirtualServices, creation order. */
  readonly virtualServices: readonly VirtualService[];
  /** The Sidecar resource that applies to this sidecar proxy, if any. */
  readonly sidecar?: Sidecar;
  /** The translator's switches (mTLS emission, trust domain). */
  readonly options: TranslateOptions;
}

type Exported = Resource<string, { exportTo?: string[] }>;

export { namespaceOf, sortedByCreation } from './order';

/** `exportTo` without a mesh default: unset or `*` = everywhere, `.` = own namespace, else listed namespaces. */
export function isVisible(exportTo: readonly string[] | undefined, ownNamespace: string, proxyNamespace: string): boolean {
  return isExportedTo(exportTo, ownNamespace, proxyNamespace);
}

/** Config exported to `namespace` (its exportTo, else the mesh default for its kind), creation order. */
function visibleTo<T extends Exported>(items: readonly T[], namespace: string, meshDefault: readonly string[] | undefined): T[] {
  return sortedByCreation(items).filter((i) => isExportedTo(i.spec.exportTo, namespaceOf(i), namespace, meshDefault));
}

const sortedByName = new WeakMap<readonly WorkloadInstance[], readonly WorkloadInstance[]>();

/** The snapshot's workloads by name, once per snapshot (its arrays are immutable). */
function sortedWorkloads(workloads: readonly WorkloadInstance[]): readonly WorkloadInstance[] {
  let sorted = sortedByName.get(workloads);
  if (sorted === undefined) sortedByName.set(workloads, (sorted = [...workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))));
  return sorted;
}

/** The services a sidecar imports: egress hosts, then the destinations of the VirtualServices it imports (Istio's SidecarScope). */
function scopedServices(visible: readonly ServiceModel[], vss: readonly VirtualService[], hosts: readonly EgressHost[], domainSuffix: string): ServiceModel[] {
  const wanted = new Set(vss.flatMap((vs) => virtualServiceDestinations(vs, domainSuffix)));
  return visible.filter((s) => imports(hosts, s.namespace, s.hostname) || wanted.has(s.hostname));
}

/**
 * The translation context: config and services exported to the proxy's namespace and, for a
 * sidecar whose Sidecar resource lists `egress.hosts`, only what those import (VirtualServices by
 * host, services by host plus the imported VirtualServices' destinations). `serviceByHost` keeps
 * every visible service: destinations resolve as istiod's service index does.
 */
export function buildContext(snapshot: MeshSnapshot, proxy: ProxyInfo, options: TranslateOptions = DEFAULT_TRANSLATE_OPTIONS): TranslateContext {
  const mesh = snapshot.meshConfig;
  const ns = proxy.namespace;
  const sidecar = proxy.type === 'sidecar' ? selectSidecar(snapshot.sidecars, proxy, snapshot.rootNamespace) : undefined;
  const visible = buildServiceModels(
    snapshot.services.filter((s) => serviceVisible(s, ns, mesh)),
    visibleTo(snapshot.serviceEntries, ns, mesh?.defaultServiceExportTo),
    sortedWorkloads(snapshot.workloads),
  );
  const allVs = visibleTo(snapshot.virtualServices, ns, mesh?.defaultVirtualServiceExportTo);
  const hosts = egressHosts(sidecar, ns);
  const virtualServices = hosts === undefined ? allVs : importedVirtualServices(hosts, allVs, snapshot.domainSuffix);
  return {
    snapshot,
    proxy,
    services: hosts === undefined ? visible : scopedServices(visible, virtualServices, hosts, snapshot.domainSuffix),
    serviceByHost: new Map(visible.map((s) => [s.hostname, s])),
    destinationRules: visibleTo(snapshot.destinationRules, ns, mesh?.defaultDestinationRuleExportTo),
    virtualServices,
    ...(sidecar === undefined ? {} : { sidecar }),
    options,
  };
}

/** Rank of a config for a service: exact host first, then proxy namespace, then service namespace. */
function configRank(pattern: string, host: string, configNs: string, svcNs: string, proxyNs: string): number {
  const exact = pattern === host ? 0 : 4;
  const ns = configNs === proxyNs ? 0 : configNs === svcNs ? 1 : 2;
  return exact + ns;
}

/** The DestinationRule that applies to `hostname` (DR short hosts resolve in the DR's namespace). */
export function destinationRuleFor(ctx: TranslateContext, hostname: string): DestinationRule | undefined {
  const svcNs = ctx.serviceByHost.get(hostname)?.namespace ?? '';
  let best: { dr: DestinationRule; rank: number } | undefined;
  for (const dr of ctx.destinationRules) {
    if (dr.spec.workloadSelector) continue;
    const pattern = resolveHost(dr.spec.host, namespaceOf(dr), ctx.snapshot.domainSuffix);
    if (intersectHosts(pattern, hostname) !== hostname) continue;
    const rank = configRank(pattern, hostname, namespaceOf(dr), svcNs, ctx.proxy.namespace);
    if (!best || rank < best.rank) best = { dr, rank };
  }
  return best?.dr;
}

import type { DestinationRule, MeshSnapshot, ProxyInfo, Resource, VirtualService } from '@trellis/mesh-api';
import { intersectHosts, resolveHost } from './hosts';
import { buildServiceModels, type ServiceModel } from './services';
import { DEFAULT_TRANSLATE_OPTIONS, type TranslateOptions } from './translate-options';

/** Everything a translation step needs: the (order-normalised) snapshot, the proxy, the service index. */
export interface TranslateContext {
  readonly snapshot: MeshSnapshot;
  readonly proxy: ProxyInfo;
  readonly services: readonly ServiceModel[];
  readonly serviceByHost: ReadonlyMap<string, ServiceModel>;
  /** Visible DestinationRules, creation order. */
  readonly destinationRules: readonly DestinationRule[];
  /** Visible VirtualServices, creation order. */
  readonly virtualServices: readonly VirtualService[];
  /** The translator's switches (mTLS emission, trust domain). */
  readonly options: TranslateOptions;
}

type AnyResource = Resource<string, unknown>;

export function namespaceOf(r: AnyResource): string {
  return r.metadata.namespace ?? 'default';
}

/** Istio orders config by creation time, then namespace/name: this is the stable input order. */
function byCreation(a: AnyResource, b: AnyResource): number {
  const ka = `${a.metadata.creationTimestamp ?? ''}\u0000${namespaceOf(a)}\u0000${a.metadata.name}`;
  const kb = `${b.metadata.creationTimestamp ?? ''}\u0000${namespaceOf(b)}\u0000${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function sortedByCreation<T extends AnyResource>(items: readonly T[]): T[] {
  return [...items].sort(byCreation);
}

/** `exportTo`: unset or `*` = everywhere, `.` = own namespace, else listed namespaces. */
export function isVisible(exportTo: readonly string[] | undefined, ownNamespace: string, proxyNamespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || e === proxyNamespace || (e === '.' && ownNamespace === proxyNamespace));
}

export function buildContext(snapshot: MeshSnapshot, proxy: ProxyInfo, options: TranslateOptions = DEFAULT_TRANSLATE_OPTIONS): TranslateContext {
  const visible = <T extends AnyResource & { spec: { exportTo?: string[] } }>(items: readonly T[]): T[] =>
    sortedByCreation(items).filter((i) => isVisible(i.spec.exportTo, namespaceOf(i), proxy.namespace));
  const services = buildServiceModels(
    snapshot.services,
    visible(snapshot.serviceEntries),
    [...snapshot.workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  );
  return {
    snapshot,
    proxy,
    services,
    serviceByHost: new Map(services.map((s) => [s.hostname, s])),
    destinationRules: visible(snapshot.destinationRules),
    virtualServices: visible(snapshot.virtualServices),
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

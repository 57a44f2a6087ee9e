import { checkEnvoyFilterPatch, labelsMatch, type EnvoyFilter, type SupportedPatch } from '@trellis/mesh-api';
import type { XdsResources } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { addClusters } from './envoy-filter-clusters';
import { patchHttpFilters } from './envoy-filter-listeners';
import { patchRouteConfigs } from './envoy-filter-routes';

/**
 * EnvoyFilter, applied after generation as istiod does (pilot/pkg/model/push_context.go EnvoyFilters
 * and pilot/pkg/networking/core/envoyfilter): the root namespace's filters and the proxy's own
 * namespace's, those whose workloadSelector (or targetRefs, a Gateway API gateway) select the proxy;
 * ordered by priority, root namespace first at equal priority, then creation time, then name.namespace.
 * Validation already rejected every patch Trellis does not apply, so each one left here is applied.
 */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

const nsOf = (f: EnvoyFilter): string => f.metadata.namespace ?? 'default';

function selects(f: EnvoyFilter, ctx: TranslateContext): boolean {
  const refs = f.spec.targetRefs ?? [];
  const labels = ctx.proxy.labels;
  if (refs.length === 0) return labelsMatch(f.spec.workloadSelector?.labels, labels);
  const gateway = labels[GATEWAY_NAME_LABEL];
  return gateway !== undefined && nsOf(f) === ctx.proxy.namespace && refs.some((r) => r.kind === 'Gateway' && r.name === gateway);
}

function compare(root: string): (a: EnvoyFilter, b: EnvoyFilter) => number {
  return (a, b) => {
    const pa = a.spec.priority ?? 0;
    const pb = b.spec.priority ?? 0;
    if (pa !== pb) return pa - pb;
    if (nsOf(a) !== nsOf(b) && (nsOf(a) === root || nsOf(b) === root)) return nsOf(a) === root ? -1 : 1;
    const ta = Date.parse(a.metadata.creationTimestamp ?? '');
    const tb = Date.parse(b.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
    const ka = `${a.metadata.name}.${nsOf(a)}`;
    const kb = `${b.metadata.name}.${nsOf(b)}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/** The EnvoyFilters that apply to the proxy, in the order istiod applies them. */
export function envoyFiltersFor(ctx: TranslateContext): EnvoyFilter[] {
  const root = ctx.snapshot.rootNamespace;
  const all = ctx.snapshot.envoyFilters ?? [];
  const namespaces = new Set([root, ctx.proxy.namespace]);
  return all.filter((f) => namespaces.has(nsOf(f)) && selects(f, ctx)).sort(compare(root));
}

/** Their patches (an invalid one, which validation keeps out of the store, is skipped). */
export function envoyFilterPatches(ctx: TranslateContext): SupportedPatch[] {
  return envoyFiltersFor(ctx).flatMap((f) => (f.spec.configPatches ?? []).map((p, i) => checkEnvoyFilterPatch(p, i).patch).filter((p): p is SupportedPatch => p !== undefined));
}

/** Part of the translator's memo key: which EnvoyFilters apply (their names and generations). */
export function envoyFilterKey(ctx: TranslateContext): string {
  return envoyFiltersFor(ctx).map((f) => `${nsOf(f)}/${f.metadata.name}@${f.metadata.resourceVersion ?? f.metadata.generation ?? ''}`).join(',');
}

/** The resources with the proxy's EnvoyFilter patches applied; the input is shared, so patched lists are copies. */
export function applyEnvoyFilters(ctx: TranslateContext, resources: XdsResources): XdsResources {
  const patches = envoyFilterPatches(ctx);
  if (patches.length === 0) return resources;
  const of = (kind: SupportedPatch['applyTo']): SupportedPatch[] => patches.filter((p) => p.applyTo === kind);
  const router = ctx.proxy.type === 'router';
  const routeLevel = [...of('VIRTUAL_HOST'), ...of('HTTP_ROUTE')];
  return {
    ...resources,
    listeners: patchHttpFilters(resources.listeners, of('HTTP_FILTER'), routeLevel, router),
    routes: patchRouteConfigs(resources.routes, routeLevel, router ? 'GATEWAY' : 'SIDECAR_OUTBOUND'),
    clusters: addClusters(resources.clusters, of('CLUSTER'), router),
  };
}

import type { FilterChain, HttpRbac, Listener, NetworkRbac, Received, RouteConfiguration } from '@trellis/mesh-envoy';
import { HCM_TYPE, NETWORK_RBAC_TYPE, RBAC_FILTER_NAME, RBAC_PER_ROUTE_TYPE, RBAC_TYPE } from '@trellis/mesh-envoy';

/**
 * Where RBAC sits in the xDS a proxy received (a config dump's listeners and routes), for
 * `trellis x authz check`: every HTTP RBAC filter of an HCM and every network RBAC filter of a chain,
 * with the chain it belongs to, and the routes that override or disable HTTP RBAC (RBACPerRoute).
 */
export interface FoundRbac {
  readonly listener: string;
  /** The filter chain's name (istiod: `0.0.0.0_9080`, `virtualInbound`…), else its index. */
  readonly chain: string;
  readonly kind: 'http' | 'network';
  /** The filter's name in `http_filters` / `filters`. */
  readonly filter: string;
  readonly config: Received<HttpRbac> | Received<NetworkRbac>;
}

export interface FoundRouteRbac {
  readonly routeConfig: string;
  readonly virtualHost: string;
  /** undefined = the virtual host's own typed_per_filter_config. */
  readonly route: string | undefined;
  /** The RBACPerRoute's `rbac` (undefined = RBAC disabled there). */
  readonly rbac: Received<HttpRbac> | undefined;
}

type AnyConfig = Received<{ '@type'?: string }> & Record<string, unknown>;

function chainRbac(listener: string, chain: Received<FilterChain>, index: number): FoundRbac[] {
  const out: FoundRbac[] = [];
  const chainName = chain.name ?? String(index);
  for (const f of chain.filters ?? []) {
    const cfg = f.typed_config as AnyConfig | undefined;
    if (cfg?.['@type'] === NETWORK_RBAC_TYPE) {
      out.push({ listener, chain: chainName, kind: 'network', filter: f.name ?? '', config: cfg as Received<NetworkRbac> });
    } else if (cfg?.['@type'] === HCM_TYPE) {
      const filters = (cfg['http_filters'] ?? []) as readonly { name?: string; typed_config?: AnyConfig }[];
      for (const h of filters) {
        if (h.typed_config?.['@type'] === RBAC_TYPE) {
          out.push({ listener, chain: chainName, kind: 'http', filter: h.name ?? '', config: h.typed_config as Received<HttpRbac> });
        }
      }
    }
  }
  return out;
}

/** Every RBAC filter of `listeners`, in listener and chain order (the default chain last). */
export function findRbacFilters(listeners: readonly (Received<Listener> | Listener)[]): FoundRbac[] {
  return (listeners as readonly Received<Listener>[]).flatMap((l) => {
    const name = l.name ?? '';
    const chains = [...(l.filter_chains ?? []), ...(l.default_filter_chain ? [{ ...l.default_filter_chain, name: l.default_filter_chain.name ?? 'default_filter_chain' }] : [])];
    return chains.flatMap((c, i) => chainRbac(name, c, i));
  });
}

function perRoute(configs: Readonly<Record<string, unknown>> | undefined): { found: boolean; rbac: Received<HttpRbac> | undefined } {
  const c = configs?.[RBAC_FILTER_NAME] as AnyConfig | undefined;
  if (c?.['@type'] !== RBAC_PER_ROUTE_TYPE) return { found: false, rbac: undefined };
  return { found: true, rbac: c['rbac'] as Received<HttpRbac> | undefined };
}

/** RBACPerRoute overrides in route configurations (virtual host first, then its routes). */
export function findRouteRbac(routes: readonly (Received<RouteConfiguration> | RouteConfiguration)[]): FoundRouteRbac[] {
  const out: FoundRouteRbac[] = [];
  for (const rc of routes as readonly Received<RouteConfiguration>[]) {
    for (const vh of rc.virtual_hosts ?? []) {
      const base = { routeConfig: rc.name ?? '', virtualHost: vh.name ?? '' };
      const own = perRoute(vh.typed_per_filter_config);
      if (own.found) out.push({ ...base, route: undefined, rbac: own.rbac });
      for (const r of vh.routes ?? []) {
        const p = perRoute(r.typed_per_filter_config);
        if (p.found) out.push({ ...base, route: r.name ?? '', rbac: p.rbac });
      }
    }
  }
  return out;
}

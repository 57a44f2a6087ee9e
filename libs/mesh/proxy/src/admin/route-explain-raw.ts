import type { ConfigStore } from '../config/config-store';
import type { Route, RouteConfiguration, VirtualHost } from '../config/envoy-types';

/**
 * The RDS resources as received, for what the compiled tables do not keep for display: a virtual
 * host's domains, a route's match and retry_on as written, its Istio metadata. Decisions are never
 * taken from here (route-explain.ts takes them from the compiled tables).
 */
export class RawRoutes {
  private readonly byName = new Map<string, RouteConfiguration>();

  constructor(store: ConfigStore) {
    for (const r of store.list('RDS')) this.byName.set(r.name, r.resource as RouteConfiguration);
  }

  vhost(table: string, vhost: string): VirtualHost | undefined {
    return this.byName.get(table)?.virtual_hosts?.find((v) => v.name === vhost);
  }

  domains(table: string, vhost: string): readonly string[] {
    return this.vhost(table, vhost)?.domains ?? [];
  }

  /** Each virtual host of a table with its domains, as `name: d1, d2`. */
  vhostLines(table: string): string[] {
    return (this.byName.get(table)?.virtual_hosts ?? []).map((v) => `${v.name ?? ''}: ${(v.domains ?? []).join(', ')}`);
  }

  route(table: string, vhost: string, index: number): Route | undefined {
    return this.vhost(table, vhost)?.routes?.[index];
  }
}

/** `/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews` → `reviews.default`. */
export function virtualServiceOf(route: Route | undefined): string | undefined {
  const config = route?.metadata?.filter_metadata?.istio?.config;
  if (typeof config !== 'string') return undefined;
  const m = /\/namespaces\/([^/]+)\/[^/]+\/([^/]+)$/.exec(config);
  return m === null ? config : `${m[2]}.${m[1]}`;
}

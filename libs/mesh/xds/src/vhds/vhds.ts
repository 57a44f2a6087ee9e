import type { XdsResource } from '../resources';

/**
 * VHDS (Envoy's Virtual Host Discovery Service) over delta ADS: a RouteConfiguration travels as a
 * shell (its fields without `virtual_hosts`, `vhds.config_source` = ADS) plus one VirtualHost
 * resource per virtual host, named `<route_config_name>/<virtual host name>` (Envoy's VHDS naming).
 * A client subscribes to the type with the route configuration's name (Envoy's VhdsSubscription
 * starts with `{route_config_name}`). Route configuration names are taken to hold no `/` (Istio's
 * `9080`, `http.8080`, `inbound|9080||`, `outbound|…`): the first `/` separates the two names.
 */
export const VHDS_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.VirtualHost';

/**
 * The node `client_features` entry a delta client announces to get route configurations split.
 * Envoy's features are `<namespace>.<area>.<feature>` (`envoy.lb.does_not_support_overprovisioning`,
 * `xds.config.resource-in-sotw`); `envoy.`/`xds.` are Envoy's and the xDS spec's, this one is ours.
 * Real Envoy and grpc-js-xds never send it and get whole route configurations, as from istiod.
 */
export const VHDS_CLIENT_FEATURE = 'trellis.xds.vhds';

/** ConfigSource `{ads: {}, resource_api_version: V3}`: the virtual hosts come over this ADS stream. */
const VHDS_FIELD: XdsResource = Object.freeze({ config_source: Object.freeze({ ads: Object.freeze({}), resource_api_version: 'V3' }) });

export function vhostResourceName(routeConfig: string, vhost: string): string {
  return `${routeConfig}/${vhost}`;
}

/** The route configuration a VirtualHost resource belongs to (undefined for a name without `/`). */
export function routeConfigOf(resourceName: string): string | undefined {
  const slash = resourceName.indexOf('/');
  return slash > 0 ? resourceName.slice(0, slash) : undefined;
}

/** Whether a received RouteConfiguration takes its virtual hosts from VHDS. */
export function isVhdsShell(rc: XdsResource): boolean {
  return typeof rc['vhds'] === 'object' && rc['vhds'] !== null;
}

/** The RouteConfiguration without its virtual hosts, pointing at VHDS over ADS. */
export function shellOf(rc: XdsResource): XdsResource {
  const { virtual_hosts: _vhosts, ...fields } = rc;
  return { ...fields, vhds: VHDS_FIELD };
}

function byName(a: XdsResource, b: XdsResource): number {
  const x = String(a['name'] ?? '');
  const y = String(b['name'] ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Shell + virtual hosts → the RouteConfiguration the proxy compiles and dumps: `vhds` dropped,
 * virtual hosts sorted by name (their order on the wire is not kept; Envoy's host selection, exact
 * then longest wildcard, does not depend on it when no domain appears twice, which Envoy rejects).
 */
export function materialize(shell: XdsResource, vhosts: readonly XdsResource[]): XdsResource {
  const { vhds: _vhds, ...fields } = shell;
  return vhosts.length === 0 ? fields : { ...fields, virtual_hosts: [...vhosts].sort(byName) };
}

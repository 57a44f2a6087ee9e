import type { EnvoyFilterPatchContext, SupportedPatch } from '@trellis/mesh-api';
import type { Route, RouteConfiguration, VirtualHost } from '@trellis/mesh-envoy';
import { protoMerge } from './envoy-filter-merge';

/**
 * VIRTUAL_HOST MERGE and HTTP_ROUTE MERGE (istiod's envoyfilter/rc_patch.go) on the route
 * configurations of one patch context: RDS ones (sidecar outbound, gateway) and the inline ones of
 * inbound HCMs. routeConfiguration match: name, portNumber (the port the configuration serves),
 * vhost.name ("" = any), vhost.domainName, route.name and route.action.
 */
export function contextMatches(patch: SupportedPatch, context: EnvoyFilterPatchContext): boolean {
  return patch.context === 'ANY' || patch.context === context;
}

/** The port a route configuration serves: `9080`, `http.8080`, inbound `inbound|9080||`. */
function portOf(rc: RouteConfiguration): number | undefined {
  const m = /(?:^|\.|\|)(\d+)(?:\|\|)?$/.exec(rc.name ?? '');
  return m ? Number(m[1]) : undefined;
}

function routeConfigMatches(p: SupportedPatch, rc: RouteConfiguration): boolean {
  const m = p.match.routeConfiguration;
  if (m === undefined) return true;
  if (m.name !== undefined && m.name !== '' && m.name !== rc.name) return false;
  return m.portNumber === undefined || m.portNumber === 0 || m.portNumber === portOf(rc);
}

function vhostMatches(p: SupportedPatch, vh: VirtualHost): boolean {
  const m = p.match.routeConfiguration?.vhost;
  if (m === undefined) return true;
  if (m.name !== undefined && m.name !== '' && m.name !== vh.name) return false;
  return m.domainName === undefined || m.domainName === '' || (vh.domains ?? []).includes(m.domainName);
}

function routeMatches(p: SupportedPatch, r: Route): boolean {
  const m = p.match.routeConfiguration?.vhost?.route;
  if (m === undefined) return true;
  if (m.name !== undefined && m.name !== '' && m.name !== r.name) return false;
  const action = m.action ?? 'ANY';
  if (action === 'ROUTE') return r.route !== undefined;
  if (action === 'REDIRECT') return r.redirect !== undefined;
  if (action === 'DIRECT_RESPONSE') return r.direct_response !== undefined;
  return true;
}

/** HTTP_ROUTE MERGE: the `route` part merges into a forwarding route's action only (never turns a redirect into one). */
function mergeRoute(r: Route, value: Readonly<Record<string, unknown>>): Route {
  const { route, ...rest } = value;
  const merged = protoMerge(r, rest);
  if (route === undefined || r.route === undefined) return merged;
  return { ...merged, route: protoMerge(r.route, route as Record<string, unknown>) };
}

function patchVhost(vh: VirtualHost, patches: readonly SupportedPatch[]): VirtualHost {
  let out = vh;
  for (const p of patches) {
    if (!vhostMatches(p, out)) continue;
    if (p.applyTo === 'VIRTUAL_HOST') out = protoMerge(out, p.value);
    else out = { ...out, routes: (out.routes ?? []).map((r) => (routeMatches(p, r) ? mergeRoute(r, p.value) : r)) };
  }
  return out;
}

export function patchRouteConfig(rc: RouteConfiguration, patches: readonly SupportedPatch[], context: EnvoyFilterPatchContext): RouteConfiguration {
  const mine = patches.filter((p) => contextMatches(p, context) && routeConfigMatches(p, rc));
  if (mine.length === 0) return rc;
  return { ...rc, virtual_hosts: (rc.virtual_hosts ?? []).map((vh) => patchVhost(vh, mine)) };
}

export function patchRouteConfigs(rcs: readonly RouteConfiguration[], patches: readonly SupportedPatch[], context: EnvoyFilterPatchContext): readonly RouteConfiguration[] {
  return patches.length === 0 ? rcs : rcs.map((rc) => patchRouteConfig(rc, patches, context));
}

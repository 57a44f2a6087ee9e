import type { Route, RouteConfiguration, VirtualHost } from '../config/envoy-types';
import { invalid } from '../config/proto';
import type { CompileEnv } from '../http/filter';
import { compilePerFilterConfigs } from '../http/per-filter-config';
import { type EditPair, type HeaderEdits, compileEdits, mergeEdits } from './header-mutation';
import { type CompiledRedirect, compileRedirect } from './redirect';
import { type CompiledForward, compileForward } from './route-action';
import { type CompiledRouteMatch, compileRouteMatch, routeMatches } from './route-match';
import type { RequestView } from './request-view';
import { VirtualHostIndex } from './virtual-hosts';
import { type TlsRequirement, compileRequireTls } from './require-tls';
import { sslRedirectRoute } from '../http/synthetic-routes';
import { type CompiledRateLimit, compileRateLimits } from '../http/filters/ratelimit/descriptors';

/** One route with its action and the header edits of route + vhost + route config pre-merged. */
export interface CompiledRoute {
  readonly name: string;
  readonly vhostName: string;
  readonly match: CompiledRouteMatch;
  readonly forward: CompiledForward | undefined;
  readonly redirect: CompiledRedirect | undefined;
  readonly direct: { readonly status: number; readonly body: string } | undefined;
  /** `typed_per_filter_config` (vhost, then route) compiled by each filter's factory, by filter name. */
  readonly perFilter: ReadonlyMap<string, unknown>;
  readonly requestEdits: HeaderEdits;
  readonly responseEdits: HeaderEdits;
  readonly operation: string | undefined;
  /** `rate_limits` for the global rate limit filter: the route's own, else the virtual host's. */
  readonly rateLimits: readonly CompiledRateLimit[];
}

export interface CompiledVirtualHost {
  readonly name: string;
  readonly routes: readonly CompiledRoute[];
  readonly requireTls: TlsRequirement;
  /** The route a request that must be redirected to https resolves to (only with `requireTls`). */
  readonly sslRedirect: CompiledRoute | undefined;
}

/** A RouteConfiguration compiled for matching: vhost index + ordered routes. */
export interface RouteTable {
  readonly name: string;
  readonly vhosts: VirtualHostIndex<CompiledVirtualHost>;
  readonly clusterNames: readonly string[];
}

interface VhostScope {
  readonly name: string;
  readonly edits: readonly EditPair[];
  readonly perFilter: ReadonlyMap<string, unknown>;
  readonly rateLimits: readonly CompiledRateLimit[];
}

function compileRoute(resource: string, r: Route, vhost: VhostScope, env: CompileEnv): CompiledRoute {
  const actions = [r.route, r.redirect, r.direct_response].filter((a) => a !== undefined).length;
  if (actions !== 1) throw invalid(resource, 'route needs exactly one of route, redirect, direct_response');
  const own = compileEdits(resource, r);
  const levels = [own, ...vhost.edits];
  const direct = r.direct_response;
  const status = direct?.status ?? 0;
  if (direct !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    throw invalid(resource, `direct_response status ${String(direct.status)} out of range`);
  }
  return {
    name: r.name ?? '',
    vhostName: vhost.name,
    match: compileRouteMatch(resource, r.match),
    forward: r.route ? compileForward(resource, r.route) : undefined,
    redirect: r.redirect ? compileRedirect(resource, r.redirect) : undefined,
    direct: direct ? { status, body: direct.body?.inline_string ?? '' } : undefined,
    perFilter: compilePerFilterConfigs(resource, r.typed_per_filter_config, env, vhost.perFilter),
    requestEdits: mergeEdits(levels.map((l) => l.request)),
    responseEdits: mergeEdits(levels.map((l) => l.response)),
    operation: r.decorator?.operation,
    rateLimits: (r.route?.rate_limits?.length ?? 0) > 0 ? compileRateLimits(resource, r.route?.rate_limits) : vhost.rateLimits,
  };
}

function compileVirtualHost(table: string, vh: VirtualHost, index: number, configEdits: EditPair, env: CompileEnv): CompiledVirtualHost {
  const name = vh.name;
  if (typeof name !== 'string' || name === '') throw invalid(`route config ${table} virtual_hosts[${index}]`, 'missing name');
  const resource = `route config ${table} virtual host ${name}`;
  if (!vh.domains?.length) throw invalid(resource, 'no domains');
  const scope: VhostScope = {
    name,
    edits: [compileEdits(resource, vh), configEdits],
    perFilter: compilePerFilterConfigs(resource, vh.typed_per_filter_config, env),
    rateLimits: compileRateLimits(resource, vh.rate_limits),
  };
  const routes = (vh.routes ?? []).map((r, i) => compileRoute(`${resource} route ${r.name ?? i}`, r, scope, env));
  const requireTls = compileRequireTls(resource, vh.require_tls);
  return { name, routes, requireTls, sslRedirect: requireTls === 'NONE' ? undefined : sslRedirectRoute(name) };
}

export function compileRouteTable(rc: RouteConfiguration, env: CompileEnv, fallbackName?: string): RouteTable {
  const name = rc.name ?? fallbackName;
  if (typeof name !== 'string' || name === '') throw invalid('route config', 'missing name');
  const vhosts = new VirtualHostIndex<CompiledVirtualHost>();
  const configEdits = compileEdits(`route config ${name}`, rc);
  const clusters = new Set<string>();
  (rc.virtual_hosts ?? []).forEach((vh, i) => {
    const compiled = compileVirtualHost(name, vh, i, configEdits, env);
    for (const d of vh.domains ?? []) vhosts.add(`route config ${name} virtual host ${compiled.name}`, d, compiled);
    for (const r of compiled.routes) {
      if (r.forward?.cluster) clusters.add(r.forward.cluster);
      for (const w of r.forward?.weighted ?? []) clusters.add(w.name);
    }
  });
  vhosts.seal();
  return { name, vhosts, clusterNames: [...clusters] };
}

/** First matching route of the selected virtual host, or undefined (→ 404 NR). */
export function matchRoute(table: RouteTable, view: RequestView): CompiledRoute | undefined {
  const vh = table.vhosts.find(view.authority);
  return vh === undefined ? undefined : matchInVirtualHost(vh, view);
}

export function matchInVirtualHost(vh: CompiledVirtualHost, view: RequestView): CompiledRoute | undefined {
  const routes = vh.routes;
  for (let i = 0; i < routes.length; i++) {
    if (routeMatches(routes[i].match, view)) return routes[i];
  }
  return undefined;
}

import type { Destination, HTTPRedirect, HTTPRoute, HTTPRouteDestination } from '@trellis/mesh-api';
import { destinationRuleFor, type TranslateContext } from './context';
import { ZERO_DURATION, toDuration } from './durations';
import type { DirectResponseAction, RedirectAction, RedirectResponseCode, RouteAction, RouteMatch, ClusterWeight } from '@trellis/mesh-envoy';
import { headerMutations } from './headers';
import { resolveHost } from './hosts';
import { outboundClusterName } from './naming';
import { mirrorPolicies } from './mirror-policies';
import { retryPolicy } from './retry';
import { effectivePolicy, hashPolicy } from './traffic-policy';
import { MESH_GATEWAY, type RouteScope } from './virtual-services';

/** What route translation needs besides the HTTPRoute itself. */
export interface RouteEnv {
  ctx: TranslateContext;
  scope: RouteScope;
  vsNamespace: string;
}

interface ResolvedDestination {
  host: string;
  port: number;
  subset?: string;
  cluster: string;
}

/** Istio GetDestinationCluster: explicit port, else the service's only port, else the listener port. */
export function resolveDestination(dest: Destination, env: RouteEnv): ResolvedDestination {
  const host = resolveHost(dest.host, env.vsNamespace, env.ctx.snapshot.domainSuffix);
  const svc = env.ctx.serviceByHost.get(host);
  const onlyPort = svc?.ports.length === 1 ? svc.ports[0]?.port : undefined;
  const gatewayFallback = env.scope.gateway === MESH_GATEWAY ? undefined : svc?.ports[0]?.port;
  const port = dest.port?.number ?? onlyPort ?? gatewayFallback ?? env.scope.port;
  const subset = dest.subset === '' ? undefined : dest.subset;
  return { host, port, ...(subset !== undefined ? { subset } : {}), cluster: outboundClusterName(port, host, subset) };
}

/** Weights as given; zero weights dropped; no weights at all = an even split. */
function weights(routes: readonly HTTPRouteDestination[]): number[] {
  if (routes.every((r) => r.weight === undefined)) {
    const share = Math.floor(100 / routes.length);
    return routes.map((_, i) => (i === 0 ? 100 - share * (routes.length - 1) : share));
  }
  return routes.map((r) => r.weight ?? 0);
}

function targetFields(http: HTTPRoute, env: RouteEnv): Pick<RouteAction, 'cluster' | 'weighted_clusters'> {
  const routes = http.route ?? [];
  const ws = weights(routes);
  const entries: ClusterWeight[] = [];
  routes.forEach((r, i) => {
    const weight = ws[i] ?? 0;
    if (weight > 0) entries.push({ name: resolveDestination(r.destination, env).cluster, weight: { value: weight }, ...headerMutations(r.headers) });
  });
  if (routes.length === 1 && routes[0]) return { cluster: resolveDestination(routes[0].destination, env).cluster };
  return { weighted_clusters: { clusters: entries } };
}

function hashPolicyFor(http: HTTPRoute, env: RouteEnv): RouteAction['hash_policy'] {
  const first = http.route?.[0]?.destination;
  if (!first) return undefined;
  const d = resolveDestination(first, env);
  const dr = destinationRuleFor(env.ctx, d.host);
  return hashPolicy(effectivePolicy(dr, d.subset, d.port).loadBalancer);
}

function rewriteFields(http: HTTPRoute, match: RouteMatch): Pick<RouteAction, 'prefix_rewrite' | 'regex_rewrite' | 'host_rewrite_literal'> {
  const out: Pick<RouteAction, 'prefix_rewrite' | 'regex_rewrite' | 'host_rewrite_literal'> = {};
  const uri = http.rewrite?.uri;
  if (uri !== undefined) {
    if (match.prefix !== undefined) out.prefix_rewrite = uri;
    else out.regex_rewrite = { pattern: { regex: '^.*$' }, substitution: uri };
  }
  if (http.rewrite?.authority) out.host_rewrite_literal = http.rewrite.authority;
  return out;
}

/** The `route` action: destinations, timeout, retries, mirror, rewrite, hash policy. */
export function routeAction(http: HTTPRoute, match: RouteMatch, env: RouteEnv): RouteAction {
  const action: RouteAction = { ...targetFields(http, env), timeout: toDuration(http.timeout) ?? ZERO_DURATION };
  const retry = retryPolicy(http.retries);
  if (retry) action.retry_policy = retry;
  const mirrors = mirrorPolicies(http, (d) => resolveDestination(d, env).cluster);
  if (mirrors.length > 0) action.request_mirror_policies = mirrors;
  Object.assign(action, rewriteFields(http, match));
  const hash = hashPolicyFor(http, env);
  if (hash) action.hash_policy = hash;
  return action;
}

const REDIRECT_CODES: Readonly<Record<number, RedirectResponseCode>> = {
  301: 'MOVED_PERMANENTLY',
  302: 'FOUND',
  303: 'SEE_OTHER',
  307: 'TEMPORARY_REDIRECT',
  308: 'PERMANENT_REDIRECT',
};

export function redirectAction(r: HTTPRedirect): RedirectAction {
  const out: RedirectAction = { response_code: REDIRECT_CODES[r.redirectCode ?? 301] ?? 'MOVED_PERMANENTLY' };
  if (r.uri !== undefined) out.path_redirect = r.uri;
  if (r.authority !== undefined) out.host_redirect = r.authority;
  if (r.port !== undefined) out.port_redirect = r.port;
  if (r.scheme !== undefined) out.scheme_redirect = r.scheme;
  return out;
}

export function directResponseAction(d: NonNullable<HTTPRoute['directResponse']>): DirectResponseAction {
  const body = d.body?.string ?? (d.body?.bytes !== undefined ? atob(d.body.bytes) : undefined);
  return body === undefined ? { status: d.status } : { status: d.status, body: { inline_string: body } };
}

import type { HTTPMatchRequest, HTTPRoute, VirtualService } from '@trellis/mesh-api';
import { destinationRuleFor, namespaceOf } from './context';
import { ZERO_DURATION } from './durations';
import type { Metadata, Route } from '@trellis/mesh-envoy';
import { FAULT_FILTER_NAME } from '@trellis/mesh-envoy';
import { httpFault } from './fault';
import { headerMutations, mergeMutations } from './headers';
import { isCatchAll, routeMatch } from './match';
import { configPath, outboundClusterName } from './naming';
import { directResponseAction, redirectAction, routeAction, type RouteEnv } from './route-action';
import { defaultRetryPolicy } from './retry';
import type { ServiceModel } from './services';
import { effectivePolicy, hashPolicy } from './traffic-policy';
import { matchApplies } from './virtual-services';

function vsMetadata(vs: VirtualService): Metadata {
  return { filter_metadata: { istio: { config: configPath('virtual-service', namespaceOf(vs), vs.metadata.name) } } };
}

function routeName(http: HTTPRoute, m: HTTPMatchRequest | undefined): string | undefined {
  if (m?.name && http.name) return `${http.name}.${m.name}`;
  return m?.name ?? http.name;
}

/** Route-level headers, plus the destination's own headers when there is exactly one destination. */
function routeHeaders(http: HTTPRoute): ReturnType<typeof headerMutations> {
  const own = headerMutations(http.headers);
  const only = http.route?.length === 1 ? http.route[0] : undefined;
  return only ? mergeMutations(own, headerMutations(only.headers)) : own;
}

/** One Envoy route for one (HTTPRoute, match) pair. */
function buildRoute(vs: VirtualService, http: HTTPRoute, m: HTTPMatchRequest | undefined, env: RouteEnv): Route {
  const match = routeMatch(m);
  const name = routeName(http, m);
  const route: Route = { ...(name !== undefined ? { name } : {}), match };
  if (http.redirect) route.redirect = redirectAction(http.redirect);
  else if (http.directResponse) route.direct_response = directResponseAction(http.directResponse);
  else route.route = routeAction(http, match, env);
  Object.assign(route, routeHeaders(http));
  const fault = httpFault(http.fault);
  if (fault) route.typed_per_filter_config = { [FAULT_FILTER_NAME]: fault };
  route.metadata = vsMetadata(vs);
  return route;
}

/**
 * A VirtualService's HTTP routes as Envoy routes, in order, one per applicable match (no match =
 * catch-all). Routes after the first catch-all are unreachable and dropped, as Istio does.
 */
export function virtualServiceRoutes(vs: VirtualService, env: RouteEnv): Route[] {
  const out: Route[] = [];
  for (const http of vs.spec.http ?? []) {
    const declared = http.match ?? [];
    const matches: (HTTPMatchRequest | undefined)[] =
      declared.length === 0 ? [undefined] : declared.filter((m) => matchApplies(m, env.vsNamespace, env.scope));
    for (const m of matches) {
      const route = buildRoute(vs, http, m, env);
      out.push(route);
      if (isCatchAll(route.match)) return out;
    }
  }
  return out;
}

/** Env for routes of `vs` in `scope`. */
export function envFor(vs: VirtualService, base: Omit<RouteEnv, 'vsNamespace'>): RouteEnv {
  return { ...base, vsNamespace: namespaceOf(vs) };
}

/** Istio's default route for a service without a VirtualService: everything to the plain cluster. */
export function defaultRoute(svc: ServiceModel, port: number, env: Omit<RouteEnv, 'vsNamespace'>): Route {
  const dr = destinationRuleFor(env.ctx, svc.hostname);
  const hash = hashPolicy(effectivePolicy(dr, undefined, port).loadBalancer);
  return {
    name: 'default',
    match: { prefix: '/' },
    route: {
      cluster: outboundClusterName(port, svc.hostname),
      timeout: ZERO_DURATION,
      retry_policy: defaultRetryPolicy(),
      ...(hash ? { hash_policy: hash } : {}),
    },
  };
}

import type {
  Duration,
  FilterChain,
  HashPolicy,
  HttpConnectionManager,
  HttpFault,
  Listener,
  RedirectAction,
  RetryPolicy,
  Route,
  RouteConfiguration,
  XdsResources,
} from '@trellis/mesh-envoy';
import { FAULT_FILTER_NAME, FAULT_TYPE, HCM_TYPE } from '@trellis/mesh-envoy';
import { routeMatches, selectVirtualHost, splitPath } from './simulate-match';

/** A request as a proxy sees it: Host/authority, destination port, path (with query), headers. */
export interface SimulatedRequest {
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  method?: string;
  /** Force a listener by name (e.g. `virtualInbound`); default: the one owning `port` (or `host:port` for gRPC). */
  listener?: string;
}

/** Where the request goes. `route` undefined = no virtual host or no route matched (Envoy answers 404). */
export interface SimulationResult {
  listener?: string;
  routeConfig?: string;
  virtualHost?: string;
  route?: string;
  matched: boolean;
  cluster?: string;
  weighted?: { cluster: string; weight: number }[];
  directResponse?: { status: number; body?: string };
  redirect?: RedirectAction;
  fault?: Omit<HttpFault, '@type'>;
  timeout?: Duration;
  retry?: RetryPolicy;
  mirror?: string[];
  hashPolicy?: HashPolicy[];
}

function findListener(resources: XdsResources, req: SimulatedRequest): Listener | undefined {
  const ls = resources.listeners;
  if (req.listener !== undefined) return ls.find((l) => l.name === req.listener);
  const api = ls.find((l) => l.api_listener && (l.name === `${req.host}:${req.port}` || l.name === req.host));
  if (api) return api;
  const byPort = ls.filter((l) => l.address?.socket_address?.port_value === req.port);
  return byPort.find((l) => l.name === `0.0.0.0_${req.port}`) ?? byPort[0];
}

function findChain(listener: Listener, port: number): FilterChain | undefined {
  const chains = listener.filter_chains ?? [];
  return chains.find((c) => c.filter_chain_match?.destination_port?.value === port) ?? chains.find((c) => !c.filter_chain_match);
}

function hcmOf(listener: Listener, port: number): HttpConnectionManager | undefined {
  if (listener.api_listener?.api_listener) return listener.api_listener.api_listener;
  const config = findChain(listener, port)?.filters?.[0]?.typed_config;
  return config?.['@type'] === HCM_TYPE ? (config as HttpConnectionManager) : undefined;
}

function routeConfigOf(resources: XdsResources, hcm: HttpConnectionManager): RouteConfiguration | undefined {
  if (hcm.route_config) return hcm.route_config;
  return resources.routes.find((r) => r.name === hcm.rds?.route_config_name);
}

function describeRoute(route: Route): Partial<SimulationResult> {
  const out: Partial<SimulationResult> = { route: route.name ?? '' };
  const a = route.route;
  if (a?.cluster !== undefined) out.cluster = a.cluster;
  if (a?.weighted_clusters) out.weighted = (a.weighted_clusters.clusters ?? []).map((c) => ({ cluster: c.name ?? '', weight: c.weight?.value ?? 0 }));
  if (a?.timeout) out.timeout = a.timeout;
  if (a?.retry_policy) out.retry = a.retry_policy;
  if (a?.request_mirror_policies) out.mirror = a.request_mirror_policies.map((m) => m.cluster ?? '');
  if (a?.hash_policy) out.hashPolicy = a.hash_policy;
  if (route.redirect) out.redirect = route.redirect;
  if (route.direct_response) {
    const body = route.direct_response.body?.inline_string;
    out.directResponse = { status: route.direct_response.status ?? 0, ...(body !== undefined ? { body } : {}) };
  }
  const fault = route.typed_per_filter_config?.[FAULT_FILTER_NAME];
  if (fault?.['@type'] === FAULT_TYPE) {
    const { '@type': _type, ...rest } = fault as HttpFault;
    out.fault = rest;
  }
  return out;
}

/**
 * Walk translated resources like the proxy would: listener → filter chain → HCM → route config →
 * virtual host (by Host) → first matching route. Pure; for tests and `proxy-config`-style debugging.
 */
export function simulate(resources: XdsResources, req: SimulatedRequest): SimulationResult {
  const listener = findListener(resources, req);
  if (!listener) return { matched: false };
  const hcm = hcmOf(listener, req.port);
  const rc = hcm ? routeConfigOf(resources, hcm) : undefined;
  if (!rc) return { listener: listener.name, matched: false };
  const vh = selectVirtualHost(rc.virtual_hosts ?? [], req.host);
  if (!vh) return { listener: listener.name, routeConfig: rc.name, matched: false };
  const { path, query } = splitPath(req.path);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  Object.assign(headers, { ':method': req.method ?? 'GET', ':authority': req.host, ':path': req.path, ':scheme': 'http' });
  const route = (vh.routes ?? []).find((r) => routeMatches(r.match ?? {}, { path, query, headers }));
  const base = { listener: listener.name, routeConfig: rc.name, virtualHost: vh.name };
  return route ? { ...base, matched: true, ...describeRoute(route) } : { ...base, matched: false };
}

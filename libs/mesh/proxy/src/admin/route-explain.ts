import { type IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { ConfigStore } from '../config/config-store';
import { Exchange } from '../http/exchange';
import { readRequestTarget, resolveRoute } from '../http/hcm';
import { LOCAL_REPLIES } from '../http/local-reply';
import { passthroughRoute } from '../http/synthetic-routes';
import { ORIGINAL_DST_HEADER, authorityPort, outboundChoice, selectInboundChain } from '../listener/chain-select';
import { targetOf } from '../listener/http-listener';
import type { ListenerConfig } from '../listener/listener-config';
import type { ListenerTarget, ProxyContext } from '../proxy-context';
import { redirectLocation } from '../routing/redirect';
import { sslRedirectLocation } from '../routing/require-tls';
import { summarizeCompiledMatch, summarizeRouteMatch } from '../routing/explain-match';
import { actionStep } from './route-explain-action';
import { noRoute, entryListener } from './route-explain-entry';
import { RawRoutes, virtualServiceOf } from './route-explain-raw';
import type { ActionStep, ListenerStep, RouteExplanation, RouteFailure, RouteQuery } from './route-explain-types';

/**
 * `GET /trellis/route`: where would this request go? The synthetic request is an `Exchange` like any
 * other and goes through the data path's own steps — `readRequestTarget`, the original-destination
 * listeners' chain choice (`outboundChoice` / `selectInboundChain`), `resolveRoute` (virtual host,
 * require_tls, first matching route) — on the compiled config in force; it is never sent, so no
 * filter runs and nothing is counted. The router's later steps (weighted pick, host pick) are shown
 * as their inputs: every weighted choice and every endpoint with its health.
 */
export function explainRoute(ctx: ProxyContext, store: ConfigStore, q: RouteQuery): RouteExplanation {
  const headers: Record<string, string> = {};
  for (const [k, v] of q.headers) headers[k] = headers[k] === undefined ? v : `${headers[k]},${v}`;
  const base: RouteExplanation = {
    proxy: { mode: ctx.mode },
    request: { method: q.method, host: q.host, path: q.path, headers, port: q.port },
    listener: undefined,
    routeConfig: undefined,
    virtualHost: undefined,
    route: undefined,
    action: undefined,
    failure: undefined,
  };
  const entry = entryListener(ctx, q);
  if ('stage' in entry) return { ...base, failure: entry };
  const ex = syntheticExchange(ctx, targetOf(entry), q, headers);
  readRequestTarget(ex);
  const via = chooseChain(ctx, ex);
  if (typeof via !== 'string') return { ...base, failure: via };
  const listener = listenerStep(entry, ex.target, via);
  if (ex.passthrough) return passthrough({ ...base, listener }, ctx, ex);
  resolveRoute(ex);
  return routed({ ...base, listener }, ctx, new RawRoutes(store), ex);
}

/** A request as the codecs hand it over: real Node objects, an unconnected socket, nothing written. */
function syntheticExchange(ctx: ProxyContext, target: ListenerTarget, q: RouteQuery, headers: Record<string, string>): Exchange {
  const req = new IncomingMessage(new Socket());
  req.method = q.method;
  req.url = q.path;
  req.httpVersionMajor = 1;
  req.httpVersion = '1.1';
  req.headers = { ...headers, host: q.host } as IncomingHttpHeaders;
  return new Exchange(ctx, target, req, new ServerResponse(req));
}

/** The data path's filter-chain step (stack.ts → selectFilterChain), without its local reply: how the HCM was reached, or the failure. */
function chooseChain(ctx: ProxyContext, ex: Exchange): string | RouteFailure {
  const entry = ex.target.listener;
  if (!entry.useOriginalDst) {
    if (entry.hcm !== undefined) return `listener ${entry.name}`;
    return { stage: 'filter_chain', status: 0, flag: '', details: 'tcp_proxy', message: `listener ${entry.name} serves TCP (tcp_proxy to ${entry.passthroughCluster ?? '?'}), not HTTP: no HTTP routing`, candidates: [] };
  }
  const port = authorityPort(ex.authority);
  if (entry.direction === 'INBOUND') {
    const hint = ex.headers[ORIGINAL_DST_HEADER];
    const chain = selectInboundChain(entry, ex.authority, typeof hint === 'string' ? hint : undefined);
    if (chain?.hcm !== undefined) {
      ex.target = { listener: entry, hcm: chain.hcm };
      return `${entry.name} filter chain ${chain.name}`;
    }
    if (entry.hcm !== undefined) return `listener ${entry.name}`;
    const chains = entry.chains.filter((c) => c.hcm !== undefined).map((c) => `${c.name} (destination port ${c.destinationPort ?? 'any'})`);
    return noRoute('filter_chain', `no HTTP filter chain of ${entry.name} for port ${port ?? '(none in the authority)'}`, chains);
  }
  const choice = outboundChoice(ctx, entry, ex.authority);
  if (typeof choice === 'object') {
    ex.target = { listener: choice, hcm: choice.hcm ?? ex.target.hcm };
    return `${entry.name} → ${choice.name} (the authority's port ${port ?? 80})`;
  }
  if (choice === 'passthrough') {
    ex.route = passthroughRoute(entry.passthroughCluster ?? '');
    ex.passthrough = true;
    return `${entry.name} → ${entry.passthroughCluster ?? ''} (no listener for port ${port ?? 80})`;
  }
  if (choice === 'own') return `listener ${entry.name}`;
  const http = [...ctx.listeners.values()].filter((l) => l.hcm !== undefined && !l.useOriginalDst).map((l) => `${l.name} (port ${l.port})`);
  return noRoute('listener', `no listener for port ${port ?? 80}`, http);
}

function listenerStep(entry: ListenerConfig, target: ListenerTarget, via: string): ListenerStep {
  const hcm = target.hcm;
  return {
    name: entry.name,
    address: entry.address,
    port: entry.port,
    direction: entry.direction,
    via,
    hcmListener: target.listener.name,
    statPrefix: hcm.statPrefix,
    httpFilters: hcm.filters.map((f) => f.name),
  };
}

function passthrough(base: RouteExplanation, ctx: ProxyContext, ex: Exchange): RouteExplanation {
  const route = { name: ex.route.name, index: -1, match: undefined, matchSummary: '(original destination: the authority is the upstream host)', virtualService: undefined, action: 'passthrough' as const };
  return { ...base, route, action: actionStep(ctx, { route: ex.route, raw: undefined, filters: ex.target.hcm.filters, location: undefined }) };
}

function routed(base: RouteExplanation, ctx: ProxyContext, raw: RawRoutes, ex: Exchange): RouteExplanation {
  const hcm = ex.target.hcm;
  const table = hcm.inlineRoutes ?? ctx.routes.get(hcm.rdsName ?? '');
  const tableName = table?.name ?? hcm.rdsName ?? '';
  const withTable = { ...base, routeConfig: tableName };
  if (table === undefined || ex.routeMiss === 'NO_ROUTE_CONFIG') {
    const r = LOCAL_REPLIES.NO_ROUTE_CONFIG;
    return { ...withTable, failure: { stage: 'route_config', status: r.status, flag: r.flag, details: r.details, message: `route configuration ${tableName} has not been received (RDS)`, candidates: [...ctx.routes.keys()] } };
  }
  const vh = table.vhosts.find(ex.authority);
  if (vh === undefined) {
    return { ...withTable, failure: noRoute('virtual_host', `no virtual host for ${ex.authority} in route configuration ${tableName}`, raw.vhostLines(tableName)) };
  }
  const virtualHost = { name: vh.name, domains: raw.domains(tableName, vh.name) };
  const summary = (i: number): string => {
    const r = raw.route(tableName, vh.name, i);
    return r !== undefined ? summarizeRouteMatch(r.match) : summarizeCompiledMatch((vh.routes[i] ?? ex.route).match);
  };
  if (ex.routeMiss === 'NO_ROUTE') {
    const routes = vh.routes.map((r, i) => `${r.name === '' ? `#${i}` : r.name}: ${summary(i)}`);
    return { ...withTable, virtualHost, failure: noRoute('route', `no route of virtual host ${vh.name} matched ${ex.method} ${ex.path}`, routes) };
  }
  const route = ex.route;
  const index = vh.routes.indexOf(route);
  const rawRoute = index < 0 ? undefined : raw.route(tableName, vh.name, index);
  const kind = route.redirect !== undefined ? 'redirect' : route.direct !== undefined ? 'direct_response' : 'route';
  const routeStep = {
    name: route.name,
    index,
    match: rawRoute?.match,
    matchSummary: index < 0 ? `(require_tls ${vh.requireTls}: the request is not over TLS)` : summary(index),
    virtualService: virtualServiceOf(rawRoute),
    action: kind,
  } as const;
  const location = route.redirect === undefined ? undefined : route.redirect.ssl === true ? sslRedirectLocation(ex.hostHeader, ex.path) : redirectLocation(route.redirect, ex, route.match.kind === 'prefix' ? route.match.value : undefined);
  const action = actionStep(ctx, { route, raw: rawRoute, filters: hcm.filters, location });
  return { ...withTable, virtualHost, route: routeStep, action, failure: upstreamFailure(action) };
}

/** When every cluster the route may pick fails before a host is chosen: 503 NC (unknown) or 503 UH (no healthy host). */
function upstreamFailure(action: ActionStep): RouteFailure | undefined {
  const clusters = action.clusters;
  if (clusters.length === 0 || clusters.some((c) => c.type === 'ORIGINAL_DST')) return undefined;
  if (clusters.every((c) => !c.known)) {
    const r = LOCAL_REPLIES.NO_CLUSTER;
    return { stage: 'cluster', status: r.status, flag: r.flag, details: r.details, message: `cluster ${clusters.map((c) => c.name).join(', ')} is not known to this proxy (CDS)`, candidates: [] };
  }
  if (clusters.every((c) => !c.known || !c.endpoints.some((e) => e.health === 'HEALTHY'))) {
    const r = LOCAL_REPLIES.NO_HEALTHY_UPSTREAM;
    return { stage: 'endpoints', status: r.status, flag: r.flag, details: r.details, message: `no healthy endpoint in ${clusters.map((c) => c.name).join(', ')}`, candidates: [] };
  }
  return undefined;
}

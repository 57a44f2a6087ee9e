import { randomUUID } from 'node:crypto';
import { matchRoute } from '../routing/route-table';
import type { Exchange } from './exchange';

/**
 * The HTTP connection manager's own steps, before its filters run: read the request target,
 * keep or generate x-request-id, and resolve the route (Envoy's route cache: filters and the
 * router read `ex.route`; a miss is kept in `ex.routeMiss` for the router to answer).
 */

/** Absolute-form targets (HTTP_PROXY clients) give the authority; upstream gets origin-form. */
export function readRequestTarget(ex: Exchange): void {
  const url = ex.req.url ?? '/';
  const host = ex.headers.host ?? (ex.headers[':authority'] as string | undefined) ?? '';
  if (url.charCodeAt(0) === 47 /* '/' */) {
    ex.path = url;
    ex.hostHeader = host;
  } else if (url.startsWith('http://') || url.startsWith('https://')) {
    const start = url.indexOf('//') + 2;
    const slash = url.indexOf('/', start);
    ex.hostHeader = slash < 0 ? url.slice(start) : url.slice(start, slash);
    ex.path = slash < 0 ? '/' : url.slice(slash);
  } else {
    ex.path = url;
    ex.hostHeader = host;
  }
  ex.authority = ex.hostHeader.toLowerCase();
  ex.queryStart = ex.path.indexOf('?');
}

/** x-request-id kept or generated before anything can answer, so local replies are traceable. */
export function stampRequestId(ex: Exchange): void {
  const id = ex.headers['x-request-id'];
  if (typeof id === 'string' && id !== '') ex.requestId = id;
  else if (ex.target.hcm.generateRequestId) ex.requestId = randomUUID();
}

/** RDS (or inline) table → virtual host by authority → first matching route. */
export function resolveRoute(ex: Exchange): void {
  if (ex.passthrough) return;
  const hcm = ex.target.hcm;
  const table = hcm.inlineRoutes ?? ex.ctx.routes.get(hcm.rdsName ?? '');
  if (table === undefined) {
    ex.routeMiss = 'NO_ROUTE_CONFIG';
    return;
  }
  const route = matchRoute(table, ex);
  if (route === undefined) ex.routeMiss = 'NO_ROUTE';
  else ex.route = route;
}

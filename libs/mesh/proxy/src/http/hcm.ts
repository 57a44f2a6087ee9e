import { randomUUID } from 'node:crypto';
import { matchInVirtualHost } from '../routing/route-table';
import { needsSslRedirect } from '../routing/require-tls';
import type { Exchange } from './exchange';
import { forwardedProto, isInternalRequest } from './forwarded-proto';
import { sendLocalReply } from './local-reply';

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

/**
 * Envoy's HCM first checks the version: a request that is not HTTP/1.1 or HTTP/2 counts as HTTP/1.0 and is
 * answered `426 Upgrade Required` (`low_version`) unless `http_protocol_options.accept_http_10` (istiod sets it
 * only with PILOT_HTTP10 or the proxy's HTTP10 metadata). Then it requires a Host (the :authority): an
 * absolute-form target gives one, and an accepted HTTP/1.0 request may get `default_host_for_http_10`.
 * Otherwise the request is answered `400` (`missing_host_header`). Both before x-request-id and the
 * filter chain, with no response flag, as Envoy does.
 */
export function requireHost(ex: Exchange): boolean {
  const http10 = ex.req.httpVersionMajor === 1 && ex.req.httpVersionMinor !== 1;
  if (http10 && !ex.target.hcm.acceptHttp10) return refuse(ex, 'UPGRADE_REQUIRED');
  if (ex.headers.host !== undefined || ex.headers[':authority'] !== undefined || ex.hostHeader !== '') return true;
  const fallback = ex.target.hcm.defaultHostForHttp10;
  if (http10 && fallback !== '') {
    ex.hostHeader = fallback;
    ex.authority = fallback.toLowerCase();
    return true;
  }
  return refuse(ex, 'MISSING_HOST');
}

function refuse(ex: Exchange, code: 'UPGRADE_REQUIRED' | 'MISSING_HOST'): false {
  ex.filterChain = false;
  sendLocalReply(ex, code);
  return false;
}

/** x-request-id kept or generated before anything can answer, so local replies are traceable. */
export function stampRequestId(ex: Exchange): void {
  const id = ex.headers['x-request-id'];
  if (typeof id === 'string' && id !== '') ex.requestId = id;
  else if (ex.target.hcm.generateRequestId) ex.requestId = randomUUID();
}

/**
 * RDS (or inline) table → virtual host by authority → its `require_tls` (a request not over TLS
 * resolves to the SSL redirect, before any route is matched) → first matching route.
 */
export function resolveRoute(ex: Exchange): void {
  if (ex.passthrough) return;
  const hcm = ex.target.hcm;
  const table = hcm.inlineRoutes ?? ex.ctx.routes.get(hcm.rdsName ?? '');
  if (table === undefined) {
    ex.routeMiss = 'NO_ROUTE_CONFIG';
    return;
  }
  const vh = table.vhosts.find(ex.authority);
  if (vh?.sslRedirect !== undefined && needsSslRedirect(vh.requireTls, { forwardedProto: forwardedProto(ex), internal: isInternalRequest(ex) })) {
    ex.route = vh.sslRedirect;
    return;
  }
  const route = vh === undefined ? undefined : matchInVirtualHost(vh, ex);
  if (route === undefined) ex.routeMiss = 'NO_ROUTE';
  else ex.route = route;
}

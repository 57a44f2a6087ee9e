import { KNOWN_TYPES } from '../../config/proto';
import { redirectLocation } from '../../routing/redirect';
import { sslRedirectLocation } from '../../routing/require-tls';
import { type CompiledForward, pickWeighted } from '../../routing/route-action';
import { type DownstreamRequest, bodyOf, isHttp2 } from '../../codec/downstream';
import type { Exchange } from '../exchange';
import { announcesBody } from '../../codec/h1/request-headers';
import { sendLocalReply } from '../local-reply';
import { mirrorRequest, onRouteTimeout, startAttempt } from '../../router/upstream-forwarding';
import { buildUpstreamHeaders, upstreamPath } from '../../router/upstream-headers';
import type { FilterStatus, HttpFilter, HttpFilterFactory } from '../filter';

/**
 * envoy.filters.http.router, always the last filter: answers routes that are not forwarded (no
 * route: 404 NR; direct_response; redirect), then picks the cluster (weighted), admits the request
 * through the circuit breaker, arms the route timeout, builds the upstream head and hands the
 * request to the upstream layer (`router/upstream-forwarding.ts`: host, attempts, retries, mirrors).
 */
class RouterFilter implements HttpFilter {
  readonly terminal = true;
  constructor(readonly name: string) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    const route = ex.route;
    if (ex.routeMiss !== undefined) sendLocalReply(ex, ex.routeMiss);
    else if (route.direct !== undefined) {
      countDirectResponse(ex);
      sendLocalReply(ex, 'DIRECT_RESPONSE', { status: route.direct.status, body: route.direct.body });
    } else if (route.redirect !== undefined) {
      countDirectResponse(ex);
      sendLocalReply(ex, 'REDIRECT', { status: route.redirect.status, location: locationOf(ex) });
    } else if (route.forward !== undefined) forward(ex, route.forward);
    return 'stop';
  }
}

function locationOf(ex: Exchange): string {
  const redirect = ex.route.redirect;
  if (redirect === undefined || redirect.ssl === true) return sslRedirectLocation(ex.hostHeader, ex.path);
  return redirectLocation(redirect, ex, ex.route.match.kind === 'prefix' ? ex.route.match.value : undefined);
}

/** Envoy's router counts redirects and direct responses alike (`directResponseEntry`): `http.<stat_prefix>.rq_direct_response`. */
function countDirectResponse(ex: Exchange): void {
  const prefix = ex.target.hcm.statPrefix;
  ex.ctx.filterCounters.counter(`http.${prefix}.rq_direct_response`, 'envoy_http_rq_direct_response', `http_conn_manager_prefix="${prefix}"`).value++;
}

/** Cluster (weighted pick) → circuit breaker → timeout → upstream request → body → mirrors → attempt. */
function forward(ex: Exchange, fwd: CompiledForward): void {
  ex.forward = fwd;
  let name = fwd.cluster ?? '';
  if (fwd.weighted !== undefined) {
    ex.weighted = pickWeighted(fwd.weighted, fwd.totalWeight, ex.ctx.runtime.random);
    name = ex.weighted.name;
  }
  const cluster = ex.ctx.clusters.get(name);
  if (cluster === undefined) return sendLocalReply(ex, 'NO_CLUSTER');
  ex.cluster = cluster;
  ex.upstream = cluster;
  cluster.stats.upstream_rq_total++;
  if (!cluster.admit()) return sendLocalReply(ex, 'OVERFLOW');
  ex.admitted = true;
  ex.timeoutMs = requestTimeoutMs(ex, fwd.timeoutMs);
  if (ex.timeoutMs > 0) ex.timer = setTimeout(onRouteTimeout, ex.timeoutMs, ex);
  const headers = buildUpstreamHeaders(ex);
  ex.upstreamHeaders = headers;
  ex.upstreamPath = upstreamPath(ex, headers);
  if (!hasBody(ex.req)) return sendUpstream(ex);
  ex.body = bodyOf(ex.req);
  if (shouldBuffer(ex, fwd.retry !== undefined || fwd.mirrors.length > 0)) bufferBody(ex);
  else sendUpstream(ex);
}

function sendUpstream(ex: Exchange): void {
  if (ex.done) return;
  mirrorRequest(ex);
  startAttempt(ex);
}

/** `x-envoy-upstream-rq-timeout-ms` overrides the route timeout (the header is not forwarded). */
function requestTimeoutMs(ex: Exchange, routeMs: number): number {
  const h = ex.headers['x-envoy-upstream-rq-timeout-ms'];
  if (typeof h !== 'string') return routeMs;
  const v = Number.parseInt(h, 10);
  return Number.isFinite(v) && v >= 0 ? v : routeMs;
}

function hasBody(req: DownstreamRequest): boolean {
  return isHttp2(req) ? !req.stream.endAfterHeaders : announcesBody(req.headers);
}

const MAX_BUFFERED_BODY = 64 * 1024;

/** Small bodies are buffered when a retry or mirror may need to resend them; others stream. */
function shouldBuffer(ex: Exchange, resendable: boolean): boolean {
  const len = Number(ex.headers['content-length'] ?? Number.NaN);
  return resendable && Number.isFinite(len) && len <= MAX_BUFFERED_BODY;
}

function bufferBody(ex: Exchange): void {
  const chunks: Buffer[] = [];
  const body = bodyOf(ex.req);
  body.on('data', (c: Buffer) => chunks.push(c));
  body.once('end', () => {
    ex.body = Buffer.concat(chunks);
    sendUpstream(ex);
  });
}

/** One router instance serves every HCM (it has no config of its own that the proxy reads). */
export const ROUTER = new RouterFilter('envoy.filters.http.router');

export const routerFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.router,
  create: (_resource, name) => (name === ROUTER.name ? ROUTER : new RouterFilter(name)),
};

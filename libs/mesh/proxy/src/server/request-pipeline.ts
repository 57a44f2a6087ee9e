import { randomUUID } from 'node:crypto';
import { roll } from '../routing/fault';
import { type CompiledForward, pickWeighted } from '../routing/route-action';
import { matchRoute } from '../routing/route-table';
import { redirectLocation } from '../routing/redirect';
import { ORIGINAL_DST_HEADER, authorityPort, selectInboundChain } from './chain-select';
import { type DownstreamRequest, type DownstreamResponse, bodyOf, isHttp2 } from './downstream';
import { announcesBody } from './h1/request-headers';
import { Exchange } from './exchange';
import { sendLocalReply } from './local-reply';
import type { ListenerTarget, ProxyContext } from './proxy-context';
import { passthroughRoute } from './synthetic-routes';
import { mirrorRequest, onRouteTimeout, startAttempt } from './upstream-forwarding';
import { buildUpstreamHeaders, upstreamPath } from './upstream-headers';

/**
 * The HTTP request path, read top to bottom (cf. linkerd2-proxy's `push_*` stacks). Each step is a
 * small function below; a step that answers the request itself returns false and the walk stops.
 * Asynchronous steps (fault delay, body buffering) resume the walk at the next step.
 */
export function serveHttp(ctx: ProxyContext, target: ListenerTarget, req: DownstreamRequest, res: DownstreamResponse): void {
  const ex = new Exchange(ctx, target, req, res);
  // Absolute-form targets (HTTP_PROXY clients) give the authority; upstream gets origin-form.
  readRequestTarget(ex);
  // virtualOutbound: the authority's port picks the `0.0.0.0_<port>` listener whose HCM routes it.
  if (target.listener.useOriginalDst && !selectPortListener(ex)) return;
  // x-request-id kept or generated before anything can answer, so local replies are traceable.
  stampRequestId(ex);
  // RDS (or inline) table → virtual host by authority → first matching route; none → 404 NR.
  if (!ex.passthrough && !selectRoute(ex)) return;
  // direct_response and redirect answer here, with the route's response header edits.
  if (!answerTerminalRoute(ex)) return;
  // Fault filter: delay (DI) then abort (FI); a delay resumes at the abort check.
  applyFaultDelay(ex);
}

function readRequestTarget(ex: Exchange): void {
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

function selectPortListener(ex: Exchange): boolean {
  if (ex.target.listener.direction === 'INBOUND') return selectInboundTarget(ex);
  const port = authorityPort(ex.authority) ?? 80;
  const ctx = ex.ctx;
  const l = ctx.listeners.get(`0.0.0.0_${port}`) ?? ctx.listenersByPort.get(port);
  if (l?.hcm !== undefined && l !== ex.target.listener) {
    ex.target = { listener: l, hcm: l.hcm };
    return true;
  }
  const own = ex.target.listener.passthroughCluster;
  if (own !== undefined && ctx.clusters.get(own)?.config.type === 'ORIGINAL_DST') {
    ex.route = passthroughRoute(own);
    ex.passthrough = true;
    return true;
  }
  if (ex.target.listener.hcm !== undefined) return true;
  sendLocalReply(ex, 'NO_ROUTE');
  return false;
}

/** virtualInbound: its own chain for the Host port (never an outbound `0.0.0.0_<port>` listener). */
function selectInboundTarget(ex: Exchange): boolean {
  const hint = ex.headers[ORIGINAL_DST_HEADER];
  const chain = selectInboundChain(ex.target.listener, ex.authority, typeof hint === 'string' ? hint : undefined);
  if (chain?.hcm !== undefined) {
    ex.target = { listener: ex.target.listener, hcm: chain.hcm };
    return true;
  }
  if (ex.target.listener.hcm !== undefined) return true;
  sendLocalReply(ex, 'NO_ROUTE');
  return false;
}

function stampRequestId(ex: Exchange): void {
  const id = ex.headers['x-request-id'];
  if (typeof id === 'string' && id !== '') ex.requestId = id;
  else if (ex.target.hcm.generateRequestId) ex.requestId = randomUUID();
}

function selectRoute(ex: Exchange): boolean {
  const hcm = ex.target.hcm;
  const table = hcm.inlineRoutes ?? ex.ctx.routes.get(hcm.rdsName ?? '');
  if (table === undefined) {
    sendLocalReply(ex, 'NO_ROUTE_CONFIG');
    return false;
  }
  const route = matchRoute(table, ex);
  if (route === undefined) {
    sendLocalReply(ex, 'NO_ROUTE');
    return false;
  }
  ex.route = route;
  return true;
}

function answerTerminalRoute(ex: Exchange): boolean {
  const route = ex.route;
  if (route.direct !== undefined) {
    sendLocalReply(ex, 'DIRECT_RESPONSE', { status: route.direct.status, body: route.direct.body });
    return false;
  }
  if (route.redirect !== undefined) {
    const prefix = route.match.kind === 'prefix' ? route.match.value : undefined;
    sendLocalReply(ex, 'REDIRECT', { status: route.redirect.status, location: redirectLocation(route.redirect, ex, prefix) });
    return false;
  }
  return true;
}

function applyFaultDelay(ex: Exchange): void {
  const fault = ex.target.hcm.faultEnabled ? ex.route.fault : undefined;
  if (fault !== undefined && fault.delayMs > 0 && roll(fault.delayProbability)) {
    ex.addFlag('DI');
    setTimeout(applyFaultAbort, fault.delayMs, ex);
  } else {
    applyFaultAbort(ex);
  }
}

function applyFaultAbort(ex: Exchange): void {
  if (ex.done) return;
  const fault = ex.route.fault;
  if (fault !== undefined && fault.abortStatus > 0 && ex.target.hcm.faultEnabled && roll(fault.abortProbability)) {
    sendLocalReply(ex, 'FAULT_ABORT', { status: fault.abortStatus });
    return;
  }
  const fwd = ex.route.forward;
  if (fwd !== undefined) forward(ex, fwd);
}

/** Cluster (weighted pick) → circuit breaker → timeout → upstream request → body → mirrors → attempt. */
function forward(ex: Exchange, fwd: CompiledForward): void {
  ex.forward = fwd;
  let name = fwd.cluster ?? '';
  if (fwd.weighted !== undefined) {
    ex.weighted = pickWeighted(fwd.weighted, fwd.totalWeight);
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


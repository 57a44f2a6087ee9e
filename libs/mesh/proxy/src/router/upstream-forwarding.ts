import type { IncomingHttpHeaders } from 'node:http';
import { roll } from '../runtime';
import type { HeaderMap } from '../routing/header-mutation';
import { type AttemptFailure, backoffMs, retriableFailure, retriableStatus } from '../routing/retry-policy';
import type { Endpoint } from '../upstream/endpoint';
import type { UpstreamHandler } from '../upstream/upstream-pool';
import { fnv1a } from '../upstream/load-balancer';
import type { UpstreamCluster } from '../upstream/upstream-cluster';
import { encodeHeaders } from '../http/filter';
import { ORIGINAL_DST_HEADER } from '../listener/chain-select';
import { capturedDestination } from '../listener/capture-route';
import type { Exchange } from '../http/exchange';
import { type LocalReplyCode, sendLocalReply, transportFailureReply } from '../http/local-reply';
import { type AttemptOutcomes, UpstreamAttempt } from './upstream-attempt';
import { downstreamResponseHeaders } from './upstream-headers';

/**
 * The upstream half of the request path: pick a host, dispatch an attempt, and on its outcome
 * respond, retry (with Envoy's jittered back-off) or make the local reply. Also the route timeout
 * and fire-and-forget mirrors.
 */

const FAILURE_REPLY: Readonly<Record<AttemptFailure, LocalReplyCode>> = {
  'connect-failure': 'CONNECT_FAILURE',
  reset: 'CONNECTION_TERMINATION',
  'per-try-timeout': 'TIMEOUT',
  overflow: 'OVERFLOW',
};

/** Claim one retry if the policy, the body and the cluster's max_retries allow it. */
function takeRetry(ex: Exchange): boolean {
  const p = ex.forward.retry;
  const cluster = ex.upstream;
  if (p === undefined) return false;
  if (ex.retries >= p.numRetries) {
    cluster.stats.upstream_rq_retry_limit_exceeded++;
    if (p.numRetries > 0) ex.addFlag('URX');
    return false;
  }
  if (ex.body !== null && !Buffer.isBuffer(ex.body)) return false;
  if (!ex.retryActive) {
    if (!cluster.admitRetry()) return false;
    ex.retryActive = true;
  }
  ex.retries++;
  cluster.stats.upstream_rq_retry++;
  return true;
}

const OUTCOMES: AttemptOutcomes = {
  shouldRetryResponse(ex: Exchange, status: number, headers: IncomingHttpHeaders): boolean {
    const p = ex.forward.retry;
    if (p === undefined) return false;
    const grpc = headers['grpc-status'];
    return retriableStatus(p, status, typeof grpc === 'string' ? grpc : undefined) && takeRetry(ex);
  },
  respond(ex: Exchange, status: number, headers: IncomingHttpHeaders): void {
    ex.status = status;
    ex.details = 'via_upstream';
    ex.upstreamServiceTime = String(Math.round(ex.ctx.runtime.clock.monotonic() - ex.upstreamStartHr));
    if (ex.retries > 0) ex.upstream.stats.upstream_rq_retry_success++;
    const out = downstreamResponseHeaders(ex, headers);
    encodeHeaders(ex, status, out);
    ex.res.writeHead(status, out);
  },
  retry(ex: Exchange): void {
    const p = ex.forward.retry;
    setTimeout(startAttempt, p === undefined ? 0 : backoffMs(p, ex.retries, ex.ctx.runtime.random), ex);
  },
  failed(ex: Exchange, failure: AttemptFailure, transportFailure?: string): void {
    const p = ex.forward.retry;
    if (p !== undefined && retriableFailure(p, failure) && takeRetry(ex)) OUTCOMES.retry(ex);
    else sendLocalReply(ex, FAILURE_REPLY[failure], transportFailure === undefined ? undefined : transportFailureReply(transportFailure));
  },
};

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** route.hash_policy → a hash for RING_HASH/MAGLEV clusters (first policy that yields a value). */
function requestHash(ex: Exchange): number | undefined {
  const lb = ex.upstream.config.lbPolicy;
  if (lb !== 'RING_HASH' && lb !== 'MAGLEV') return undefined;
  for (const h of ex.forward.hashPolicy) {
    let v: string | undefined;
    if (h.kind === 'header') v = ex.headers[h.name] as string | undefined;
    else if (h.kind === 'cookie') v = cookieValue(ex.headers.cookie, h.name);
    else if (h.kind === 'source_ip') v = ex.remoteAddress;
    else v = new URLSearchParams(ex.queryStart < 0 ? '' : ex.path.slice(ex.queryStart + 1)).get(h.name) ?? undefined;
    if (v !== undefined) return fnv1a(v);
  }
  return undefined;
}

function passthroughHost(ex: Exchange): Endpoint {
  // ORIGINAL_DST: where the connection was going (SO_ORIGINAL_DST), else the request's authority.
  const dst = capturedDestination(ex.req.socket);
  if (dst !== undefined) return ex.upstream.originalDestination(dst.address, dst.port);
  const colon = ex.authority.lastIndexOf(':');
  const host = colon > 0 ? ex.authority.slice(0, colon) : ex.authority;
  const port = colon > 0 ? Number(ex.authority.slice(colon + 1)) : 80;
  return ex.upstream.originalDestination(host, port);
}

/** Outbound requests to mesh (EDS) endpoints tell the receiving sidecar which port they were sent to. */
function stampsOriginalDst(ex: Exchange, cluster: UpstreamCluster): boolean {
  return ex.target.listener.direction !== 'INBOUND' && cluster.config.type === 'EDS';
}

/** One attempt: host selection (avoiding previous hosts on retries), then dispatch. */
export function startAttempt(ex: Exchange): void {
  if (ex.done) return;
  const retry = ex.forward.retry;
  const avoid = retry?.previousHosts ? ex.triedHosts : undefined;
  // A route to an ORIGINAL_DST cluster (Istio's allow_any → PassthroughCluster) goes where the request was going too.
  const original = ex.passthrough || ex.upstream.config.type === 'ORIGINAL_DST';
  const host = original ? passthroughHost(ex) : ex.upstream.pick(requestHash(ex), avoid, retry?.hostSelectionAttempts ?? 1);
  if (host === undefined) {
    sendLocalReply(ex, 'NO_HEALTHY_UPSTREAM');
    return;
  }
  ex.host = host;
  if (stampsOriginalDst(ex, ex.upstream) && ex.upstreamHeaders !== undefined) ex.upstreamHeaders[ORIGINAL_DST_HEADER] = host.address;
  if (retry?.previousHosts) (ex.triedHosts ??= new Set()).add(host);
  ex.upstreamStartHr = ex.ctx.runtime.clock.monotonic();
  const attempt = new UpstreamAttempt(ex, host, OUTCOMES, retry?.perTryTimeoutMs ?? 0);
  try {
    host.dispatcher().dispatch({ path: ex.upstreamPath, method: ex.method, headers: ex.upstreamHeaders, body: ex.body, alpn: ex.upstreamAlpn }, attempt);
  } catch (err) {
    attempt.onResponseError(undefined, err as Error);
  }
  ex.grpcMessages?.watchRequest(ex.body);
}

/** Route timeout: 504 `upstream request timeout` (UT), and the attempt in flight is abandoned. */
export function onRouteTimeout(ex: Exchange): void {
  ex.timer = undefined;
  if (ex.done) return;
  const cluster = ex.upstream;
  cluster.stats.upstream_rq_timeout++;
  if (ex.host !== undefined) cluster.recordHost(ex.host, 'gateway-failure');
  const controller = ex.controller;
  sendLocalReply(ex, 'TIMEOUT');
  controller?.abort(new Error('upstream request timeout'));
}

/** Mirror responses are read and dropped; errors are ignored (fire-and-forget). */
const ignore = (): undefined => undefined;
const DISCARD: UpstreamHandler = {
  onRequestStart: ignore,
  onResponseStart: ignore,
  onResponseData: ignore,
  onResponseEnd: ignore,
  onResponseError: ignore,
};

function shadowHost(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon > 0 && !host.endsWith(']') ? `${host.slice(0, colon)}-shadow${host.slice(colon)}` : `${host}-shadow`;
}

/** request_mirror_policies: fire-and-forget copies with Host `<host>-shadow`; bodies only when buffered. */
export function mirrorRequest(ex: Exchange): void {
  const mirrors = ex.forward.mirrors;
  if (mirrors.length === 0 || (ex.body !== null && !Buffer.isBuffer(ex.body))) return;
  for (const m of mirrors) {
    if (!roll(ex.ctx.runtime.random, m.probability)) continue;
    const cluster = ex.ctx.clusters.get(m.cluster);
    const host = cluster?.pick(undefined, undefined, 1);
    if (cluster === undefined || host === undefined) continue;
    const headers: HeaderMap = { ...ex.upstreamHeaders, host: shadowHost(String(ex.upstreamHeaders?.['host'] ?? ex.hostHeader)) };
    if (stampsOriginalDst(ex, cluster)) headers[ORIGINAL_DST_HEADER] = host.address;
    host.dispatcher().dispatch({ path: ex.upstreamPath, method: ex.method, headers, body: ex.body, alpn: ex.upstreamAlpn }, DISCARD);
  }
}

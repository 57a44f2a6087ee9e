import type { IncomingHttpHeaders } from 'node:http';
import { type HeaderMap, applyEdits } from '../routing/header-mutation';
import { pathOnly } from '../routing/request-view';
import { ORIGINAL_DST_HEADER } from '../listener/chain-select';
import type { Exchange } from '../http/exchange';
import { applyXfcc } from '../http/xfcc';
import { forwardedProto } from '../http/forwarded-proto';
import { setServerHeader } from '../http/server-header';
import { injectTrace } from '../tracing/tracer';

/** Hop-by-hop headers never forwarded (RFC 9110 §7.6.1, plus what Envoy strips). */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'upgrade', 'trailer',
  'proxy-authenticate', 'proxy-authorization', 'host', 'x-envoy-upstream-rq-timeout-ms',
]);

/** Request headers for the upstream: hop-by-hop removed, Envoy's x-* set, route edits applied. */
export function buildUpstreamHeaders(ex: Exchange): HeaderMap {
  const src = ex.headers;
  const out: HeaderMap = {};
  for (const name in src) if (!HOP_BY_HOP.has(name) && name.charCodeAt(0) !== 58 /* HTTP/2 pseudo-headers */) out[name] = src[name];
  if (src['te'] === 'trailers') out['te'] = 'trailers'; // gRPC needs it end to end; the only TE HTTP/2 allows
  const conn = src['connection'];
  if (conn !== undefined && conn.includes(',')) {
    for (const token of conn.split(',')) delete out[token.trim().toLowerCase()];
  }
  // The sending proxy's hint for chain selection (chain-select.ts); stamped again per attempt, never kept.
  delete out[ORIGINAL_DST_HEADER];
  const fwd = ex.forward;
  out['host'] = fwd.hostRewrite ?? ex.hostHeader;
  if (ex.requestId !== undefined) out['x-request-id'] = ex.requestId;
  out['x-forwarded-proto'] = forwardedProto(ex);
  if (ex.target.hcm.useRemoteAddress && ex.remoteAddress !== '') {
    const xff = out['x-forwarded-for'];
    out['x-forwarded-for'] = xff === undefined ? ex.remoteAddress : `${String(xff)}, ${ex.remoteAddress}`;
  }
  if (ex.timeoutMs > 0) out['x-envoy-expected-rq-timeout-ms'] = String(ex.timeoutMs);
  if (ex.route.operation !== undefined) out['x-envoy-decorator-operation'] = ex.route.operation;
  const tracing = ex.target.hcm.tracing;
  if (tracing !== undefined) injectTrace(ex, tracing, out);
  applyXfcc(ex, out);
  if (ex.weighted !== undefined) applyEdits(ex.weighted.edits.request, out);
  applyEdits(ex.route.requestEdits, out);
  return out;
}

/** prefix_rewrite / regex_rewrite; sets x-envoy-original-path when the path changes. */
export function upstreamPath(ex: Exchange, headers: HeaderMap): string {
  const route = ex.route;
  const fwd = ex.forward;
  let path: string | undefined;
  if (fwd.prefixRewrite !== undefined && route.match.kind !== 'regex') {
    const rest = ex.path.slice(route.match.kind === 'prefix' ? route.match.value.length : pathOnly(ex).length);
    path = fwd.prefixRewrite + rest;
    if (path.startsWith('//')) path = path.slice(1);
  } else if (fwd.regexRewrite !== undefined) {
    const query = ex.queryStart < 0 ? '' : ex.path.slice(ex.queryStart);
    path = pathOnly(ex).replace(fwd.regexRewrite.re, fwd.regexRewrite.substitution) + query;
  }
  if (path === undefined || path === ex.path) return ex.path;
  headers['x-envoy-original-path'] = ex.path;
  return path;
}

const RESPONSE_HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'trailer'];

/** Turn the upstream's response headers (mutated in place) into the downstream's. */
export function downstreamResponseHeaders(ex: Exchange, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  // Delete only what is there: a delete makes V8 turn the object into a slower dictionary.
  for (let i = 0; i < RESPONSE_HOP_BY_HOP.length; i++) {
    const name = RESPONSE_HOP_BY_HOP[i] as string;
    if (headers[name] !== undefined) delete headers[name];
  }
  setServerHeader(ex.target.hcm.server, headers);
  headers['x-envoy-upstream-service-time'] = ex.upstreamServiceTime;
  ex.applyResponseEdits(headers);
  if (ex.ctx.draining && !ex.http2) headers['connection'] = 'close';
  return headers;
}

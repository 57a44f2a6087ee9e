import type { IncomingHttpHeaders } from 'node:http';
import type { Exchange } from '../../exchange';
import type { RequestHeaders } from '../../../upstream/upstream-pool';
import type { CompiledExtAuthz, HttpServiceConfig, NameTest } from './config';
import { type CheckResult, type HeaderSet, checkError } from './check-result';
import type { SideRequest, SideResponse } from '../../../upstream/side-call';

/**
 * The HTTP authorizer (`http_service`), as Envoy's ext_authz raw HTTP client asks it: the client's
 * method, `path_prefix` + the client's path (with its query), no body (`content-length: 0`), and of
 * the client's headers Host, Content-Length, Authorization plus those `allowed_headers` matches,
 * then `headers_to_add` over them. HTTP 200 allows; any other status denies with the authorizer's
 * status, body and headers; a 5xx (or no answer) is an error.
 */

/** Always sent to an HTTP authorizer (Envoy: Host, Method, Path, Content-Length, Authorization). */
const ALWAYS = new Set(['authorization', 'content-length']);
/** Never copied between messages: connection-specific, and lengths we compute ourselves. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);

export function httpCheckRequest(ex: Exchange, c: CompiledExtAuthz, s: HttpServiceConfig): SideRequest {
  const headers: RequestHeaders = { host: ex.hostHeader };
  for (const name in ex.headers) {
    if (name.charCodeAt(0) === 58 /* ':' pseudo-headers */ || name === 'host') continue;
    if (ALWAYS.has(name) || c.allowedHeaders?.(name) === true) headers[name] = ex.headers[name];
  }
  for (const [name, value] of s.headersToAdd) headers[name] = value;
  headers['content-length'] = '0';
  return { cluster: c.cluster, method: ex.method, path: s.pathPrefix + ex.path, headers, body: null, timeoutMs: c.timeoutMs };
}

function pick(headers: IncomingHttpHeaders, test: NameTest | undefined): HeaderSet[] {
  const out: HeaderSet[] = [];
  if (test === undefined) return out;
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined || HOP_BY_HOP.has(name) || !test(name)) continue;
    for (const value of Array.isArray(v) ? v : [v]) out.push({ name, value, append: Array.isArray(v) && out.some((h) => h.name === name) });
  }
  return out;
}

export function httpCheckResult(s: HttpServiceConfig, res: SideResponse | undefined, failure: string | undefined): CheckResult {
  if (res === undefined) return checkError(failure ?? 'no response');
  if (res.status >= 500) return checkError(`authorization server answered ${res.status}`);
  if (res.status === 200) return { kind: 'ok', upstream: pick(res.headers, s.upstream), remove: [], downstream: pick(res.headers, s.clientOnSuccess) };
  return { kind: 'denied', status: res.status, headers: pick(res.headers, s.client), body: res.body.toString('utf8') };
}

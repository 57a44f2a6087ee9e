import { JWT_AUTHN_FILTER_NAME } from '@trellis/mesh-envoy';
import type { HeaderMap } from '../../../routing/header-mutation';
import type { Exchange } from '../../exchange';
import { resolveRoute } from '../../hcm';
import type { TokenLocation } from './extract';
import { claimHeaderValue, claimValue, payloadOf } from './payload';
import type { JwtVerdict } from './verify';

function addHeader(headers: HeaderMap, name: string, value: string): void {
  const current = headers[name];
  if (current === undefined) headers[name] = value;
  else headers[name] = typeof current === 'string' ? [current, value] : [...current, value];
}

/** JwtParamLocation::removeJwt: the path without that query parameter (other parameters as sent). */
function withoutParam(path: string, param: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  const kept = path
    .slice(q + 1)
    .split('&')
    .filter((pair) => {
      const key = pair.slice(0, pair.includes('=') ? pair.indexOf('=') : pair.length);
      try {
        return decodeURIComponent(key) !== param;
      } catch {
        return key !== param;
      }
    });
  return kept.length === 0 ? path.slice(0, q) : `${path.slice(0, q)}?${kept.join('&')}`;
}

function removeToken(ex: Exchange, headers: HeaderMap, loc: TokenLocation): void {
  if (loc.kind === 'header') delete headers[loc.name];
  else if (loc.kind === 'param') {
    ex.path = withoutParam(ex.path, loc.name);
    ex.queryStart = ex.path.indexOf('?');
  }
  // Cookies stay, as in Envoy (JwtCookieLocation::removeJwt is a no-op).
}

/**
 * A passed verification's effects on the request, in Envoy's order per verifier: its
 * forward_payload_header / claim_to_headers names removed, then per verified token the payload
 * header, the claim headers, the token removed (unless `forward`), the payload into dynamic
 * metadata; with `clear_route_cache`, the route is resolved again afterwards.
 */
export function applyVerdict(ex: Exchange, v: JwtVerdict): void {
  const headers = ex.headers as HeaderMap;
  let reroute = false;
  for (const e of v.effects) {
    if (e.kind === 'sanitize') {
      for (const name of e.names) delete headers[name];
      continue;
    }
    const p = e.provider;
    if (p.forwardPayloadHeader !== '') addHeader(headers, p.forwardPayloadHeader, e.jwt.payloadB64);
    for (const c of p.claimToHeaders) {
      const value = claimHeaderValue(claimValue(e.jwt.payload, c.claim));
      if (value !== undefined) addHeader(headers, c.header, value);
    }
    if (!p.forward) removeToken(ex, headers, e.location);
    if (p.payloadInMetadata !== '') ex.setMetadata(JWT_AUTHN_FILTER_NAME, p.payloadInMetadata, payloadOf(p, e.jwt));
    reroute ||= p.clearRouteCache;
  }
  if (reroute) resolveRoute(ex);
}

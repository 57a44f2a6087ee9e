import { invalid } from '../config/proto';

/**
 * A virtual host's `require_tls` (Envoy's `SslRequirements`): `ALL` answers every request that did
 * not arrive over TLS with a 301 to `https://`, `EXTERNAL_ONLY` only those that are not internal
 * (Envoy's `x-envoy-internal`). Istio writes `ALL` for a Gateway HTTP server with `tls.httpsRedirect`.
 */
export type TlsRequirement = 'NONE' | 'EXTERNAL_ONLY' | 'ALL';

export function compileRequireTls(resource: string, value: unknown): TlsRequirement {
  if (value === undefined || value === 'NONE' || value === 0) return 'NONE';
  if (value === 'EXTERNAL_ONLY' || value === 1) return 'EXTERNAL_ONLY';
  if (value === 'ALL' || value === 2) return 'ALL';
  throw invalid(resource, `unknown require_tls ${String(value)}`);
}

/** What the HCM knows of a request's transport once Envoy's `mutateRequestHeaders` has run. */
export interface TransportFacts {
  /** x-forwarded-proto as Envoy sees it when routing (`http/forwarded-proto.ts`). */
  readonly forwardedProto: string;
  /** Envoy's `isEnvoyInternalRequest`: the HCM marked the request `x-envoy-internal: true`. */
  readonly internal: boolean;
}

/** `VirtualHostImpl::getRouteFromEntries`: the SSL redirect is decided before any route is matched. */
export function needsSslRedirect(requirement: TlsRequirement, facts: TransportFacts): boolean {
  if (requirement === 'NONE' || facts.forwardedProto === 'https') return false;
  return requirement === 'ALL' || !facts.internal;
}

/**
 * `Http::Utility::createSslRedirectPath`: `https://` + the Host as sent (a port included: Envoy keeps
 * it, so a redirect from `:8080` names `:8080`) + the path with its query.
 */
export function sslRedirectLocation(host: string, path: string): string {
  return `https://${host}${path}`;
}

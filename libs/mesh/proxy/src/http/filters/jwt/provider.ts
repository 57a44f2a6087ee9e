import type { JwtProvider } from '@trellis/mesh-envoy';
import { invalid } from '../../../config/proto';
import { type Jwk, parseJwks } from './jwks';
import { TokenCache } from './token-cache';

/** jwt_verify_lib's kClockSkewInSecond: the skew when a provider sets none (or 0). */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/** One `providers` entry, compiled: what a verified token of this issuer does to the request. */
export interface CompiledProvider {
  readonly name: string;
  /** '' = a provider for any issuer. */
  readonly issuer: string;
  /** Sanitised (scheme and trailing slash dropped, as CheckAudience does); empty = any audience. */
  readonly audiences: ReadonlySet<string>;
  readonly forward: boolean;
  /** '' = none. */
  readonly forwardPayloadHeader: string;
  /** '' = the payload is not written to dynamic metadata. */
  readonly payloadInMetadata: string;
  readonly claimToHeaders: readonly { readonly header: string; readonly claim: string }[];
  readonly skewSeconds: number;
  readonly spaceDelimitedClaims: readonly string[];
  readonly clearRouteCache: boolean;
  readonly keys: readonly Jwk[];
  readonly cache: TokenCache;
  /** The locations it reads tokens from (extract.ts). */
  readonly config: JwtProvider;
}

/** CheckAudience's sanitising: `http://` / `https://` and one trailing slash do not count. */
export function sanitizeAudience(aud: string): string {
  let s = aud;
  if (s.startsWith('http://')) s = s.slice(7);
  else if (s.startsWith('https://')) s = s.slice(8);
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

export function audiencesAllowed(p: CompiledProvider, jwtAudiences: readonly string[]): boolean {
  if (p.audiences.size === 0) return true;
  for (const a of jwtAudiences) if (p.audiences.has(sanitizeAudience(a))) return true;
  return false;
}

function jwksText(resource: string, name: string, p: JwtProvider): string {
  if (p.remote_jwks !== undefined) {
    throw invalid(resource, `jwt_authn provider ${name}: remote_jwks is not fetched by this proxy; the control plane inlines the issuer's keys in local_jwks.inline_string`);
  }
  const inline = p.local_jwks?.inline_string;
  if (typeof inline !== 'string') throw invalid(resource, `jwt_authn provider ${name}: local_jwks.inline_string is required`);
  return inline;
}

function claimHeaders(resource: string, name: string, p: JwtProvider): CompiledProvider['claimToHeaders'] {
  return (p.claim_to_headers ?? []).map((c, i) => {
    if (typeof c.header_name !== 'string' || c.header_name === '' || typeof c.claim_name !== 'string' || c.claim_name === '') {
      throw invalid(resource, `jwt_authn provider ${name}: claim_to_headers[${i}] needs header_name and claim_name`);
    }
    return { header: c.header_name.toLowerCase(), claim: c.claim_name };
  });
}

export function compileProvider(resource: string, name: string, p: JwtProvider): CompiledProvider {
  const keys = parseJwks(jwksText(resource, name, p));
  const skew = Number(p.clock_skew_seconds ?? 0);
  if (!Number.isInteger(skew) || skew < 0) throw invalid(resource, `jwt_authn provider ${name}: clock_skew_seconds ${String(p.clock_skew_seconds)} is not a valid number of seconds`);
  (p.from_headers ?? []).forEach((h, i) => {
    if (typeof h.name !== 'string' || h.name === '') throw invalid(resource, `jwt_authn provider ${name}: from_headers[${i}].name is required`);
  });
  const skewSeconds = skew === 0 ? DEFAULT_CLOCK_SKEW_SECONDS : skew;
  return {
    name,
    issuer: p.issuer ?? '',
    audiences: new Set((p.audiences ?? []).map(sanitizeAudience)),
    forward: p.forward === true,
    forwardPayloadHeader: (p.forward_payload_header ?? '').toLowerCase(),
    payloadInMetadata: p.payload_in_metadata ?? '',
    claimToHeaders: claimHeaders(resource, name, p),
    skewSeconds,
    spaceDelimitedClaims: p.normalize_payload_in_metadata?.space_delimited_claims ?? [],
    clearRouteCache: p.clear_route_cache === true,
    keys,
    cache: new TokenCache(skewSeconds),
    config: p,
  };
}

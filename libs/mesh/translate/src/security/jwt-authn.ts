import { jwksKeyOf, jwtRulesOf, requestAuthenticationsFor, type JWTRule } from '@trellis/mesh-api';
import {
  JWT_AUTHN_FILTER_NAME,
  JWT_AUTHN_TYPE,
  JWT_PAYLOAD_METADATA_KEY,
  type HttpFilter,
  type JwtAuthentication,
  type JwtProvider,
  type JwtRequirement,
} from '@trellis/mesh-envoy';
import { sortedByCreation, type TranslateContext } from '../context';
import { PUBLIC_ONLY_JWKS } from './public-only-jwks';

/**
 * RequestAuthentication → `envoy.filters.http.jwt_authn` for the proxy's workload, as istiod writes it
 * (pilot/pkg/security/authn/policy_applier.go convertToEnvoyJwtConfig, in its default
 * `PILOT_JWT_ENABLE_REMOTE_JWKS=false` mode: istiod fetches every JWKS and inlines it):
 * - the selected policies' rules sorted by issuer, one provider each, named `origins-<i>`;
 * - `payload_in_metadata: payload` (RBAC's `request.auth.*` read it), `scope`/`permission` split;
 * - keys: inline `jwks`, else the JWKS the control plane fetched (`snapshot.jwks`), else istiod's
 *   public-only JWKS, so tokens fail (401) until the keys arrive;
 * - one rule on prefix `/`: a token, when present, must verify; none passes (authorization decides).
 *   One provider: any of [provider, allow_missing]; several: any of [each provider…, all of
 *   [any of [provider, allow_missing] per provider]] (providers sharing a location still pass);
 * - `bypass_cors_preflight`, and `clear_route_cache` on gateways.
 * Undefined when no RequestAuthentication selects the proxy.
 */
export function jwtAuthnFilter(ctx: TranslateContext): HttpFilter | undefined {
  const target = { namespace: ctx.proxy.namespace, labels: ctx.proxy.labels };
  const policies = requestAuthenticationsFor(sortedByCreation(ctx.snapshot.requestAuthentications), target, ctx.snapshot.rootNamespace);
  const config = jwtAuthentication(jwtRulesOf(policies), ctx.snapshot.jwks ?? {}, ctx.proxy.type !== 'sidecar');
  return config === undefined ? undefined : { name: JWT_AUTHN_FILTER_NAME, typed_config: config };
}

/** istiod's convertToEnvoyJwtConfig over already sorted rules; `jwks` = fetched key sets by jwksKeyOf. */
export function jwtAuthentication(rules: readonly JWTRule[], jwks: Readonly<Record<string, string>>, clearRouteCache: boolean): JwtAuthentication | undefined {
  if (rules.length === 0) return undefined;
  const providers: Record<string, JwtProvider> = {};
  const names = rules.map((rule, i) => {
    const name = `origins-${i}`;
    providers[name] = jwtProvider(rule, jwks, clearRouteCache);
    return name;
  });
  return {
    '@type': JWT_AUTHN_TYPE,
    rules: [{ match: { prefix: '/' }, requires: requirement(names) }],
    providers,
    bypass_cors_preflight: true,
  };
}

const provider = (name: string): JwtRequirement => ({ provider_name: name });
const orMissing = (name: string): JwtRequirement => ({ requires_any: { requirements: [provider(name), { allow_missing: {} }] } });

function requirement(names: readonly string[]): JwtRequirement {
  const [only] = names;
  if (names.length === 1 && only !== undefined) return orMissing(only);
  return { requires_any: { requirements: [...names.map(provider), { requires_all: { requirements: names.map(orMissing) } }] } };
}

/** istiod's buildSpaceDelimitedClaims: the rule's claims plus `permission` and `scope`, sorted and unique. */
export function spaceDelimitedClaims(claims: readonly string[] | undefined): string[] {
  if (claims === undefined) return ['permission', 'scope'];
  return [...new Set([...claims, 'permission', 'scope'])].sort();
}

function inlineJwks(rule: JWTRule, jwks: Readonly<Record<string, string>>): string {
  const key = jwksKeyOf(rule);
  if (key === undefined) return rule.jwks ?? PUBLIC_ONLY_JWKS;
  return jwks[key] ?? PUBLIC_ONLY_JWKS;
}

function jwtProvider(rule: JWTRule, jwks: Readonly<Record<string, string>>, clearRouteCache: boolean): JwtProvider {
  const p: JwtProvider = { issuer: rule.issuer };
  if (rule.audiences !== undefined && rule.audiences.length > 0) p.audiences = [...rule.audiences];
  p.local_jwks = { inline_string: inlineJwks(rule, jwks) };
  if (rule.forwardOriginalToken === true) p.forward = true;
  if (rule.fromHeaders !== undefined && rule.fromHeaders.length > 0) {
    p.from_headers = rule.fromHeaders.map((h) => (h.prefix === undefined || h.prefix === '' ? { name: h.name } : { name: h.name, value_prefix: h.prefix }));
  }
  if (rule.fromParams !== undefined && rule.fromParams.length > 0) p.from_params = [...rule.fromParams];
  if (rule.fromCookies !== undefined && rule.fromCookies.length > 0) p.from_cookies = [...rule.fromCookies];
  if (rule.outputPayloadToHeader !== undefined && rule.outputPayloadToHeader !== '') p.forward_payload_header = rule.outputPayloadToHeader;
  p.payload_in_metadata = JWT_PAYLOAD_METADATA_KEY;
  p.normalize_payload_in_metadata = { space_delimited_claims: spaceDelimitedClaims(rule.spaceDelimitedClaims) };
  if (rule.outputClaimToHeaders !== undefined && rule.outputClaimToHeaders.length > 0) {
    p.claim_to_headers = rule.outputClaimToHeaders.map((c) => ({ header_name: c.header, claim_name: c.claim }));
  }
  if (clearRouteCache) p.clear_route_cache = true;
  return p;
}

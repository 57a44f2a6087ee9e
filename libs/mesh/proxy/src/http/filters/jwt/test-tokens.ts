/** Test support: an issuer's key pair, its JWKS text, tokens minted with jose, and istiod's jwt_authn config. */
import { JWT_AUTHN_TYPE, type JwtAuthentication, type JwtProvider } from '@trellis/mesh-envoy';
import { type JWTPayload, type KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface TestIssuer {
  readonly iss: string;
  readonly kid: string;
  readonly jwks: string;
  readonly privateKey: KeyLike;
  readonly alg: string;
  /** A token with `claims` (iss and kid filled in; exp one hour from `nowSeconds` unless given). */
  mint(claims?: JWTPayload, opts?: { nowSeconds?: number; kid?: string; header?: Record<string, unknown> }): Promise<string>;
}

export async function testIssuer(iss = 'testing@secure.istio.io', alg: 'RS256' | 'ES256' = 'RS256', kid = 'k1'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg };
  return {
    iss,
    kid,
    alg,
    privateKey,
    jwks: JSON.stringify({ keys: [jwk] }),
    mint: (claims = {}, opts = {}) => {
      const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
      return new SignJWT({ iss, sub: 'testing@secure.istio.io', exp: now + 3600, iat: now, ...claims })
        .setProtectedHeader({ alg, kid: opts.kid ?? kid, typ: 'JWT', ...opts.header })
        .sign(privateKey);
    },
  };
}

/** What istiod writes for one RequestAuthentication jwtRule (policy_applier.go, one provider). */
export function istiodJwtAuthn(issuer: TestIssuer | { iss: string; jwks: string }, extra: Partial<JwtProvider> = {}): JwtAuthentication {
  return {
    '@type': JWT_AUTHN_TYPE,
    providers: {
      'origins-0': {
        issuer: issuer.iss,
        local_jwks: { inline_string: issuer.jwks },
        payload_in_metadata: 'payload',
        normalize_payload_in_metadata: { space_delimited_claims: ['permission', 'scope'] },
        ...extra,
      },
    },
    rules: [{ match: { prefix: '/' }, requires: { requires_any: { requirements: [{ provider_name: 'origins-0' }, { allow_missing: {} }] } } }],
    bypass_cors_preflight: true,
  };
}

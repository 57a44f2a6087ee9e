import type { RequestAuthentication } from '@trellis/mesh-api';
import { buildContext } from '../context';
import { bookinfoSnapshot, GATEWAY_PROXY, NS, sidecarProxy } from '../testing/bookinfo';
import type { JwtAuthentication } from '@trellis/mesh-envoy';
import { jwtAuthentication, jwtAuthnFilter, spaceDelimitedClaims } from './jwt-authn';
import { PUBLIC_ONLY_JWKS } from './public-only-jwks';

const JWKS_URI = 'http://127.0.0.1:1/oauth2/v3/certs';
const FETCHED = '{"keys":[{"kty":"RSA","kid":"k1","e":"AQAB","n":"abc"}]}';
const TYPE = 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication';
const NORMALIZE = { space_delimited_claims: ['permission', 'scope'] };

const ra = (name: string, spec: RequestAuthentication['spec'], namespace = NS): RequestAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'RequestAuthentication',
  metadata: { name, namespace },
  spec,
});

// Goldens: istiod's TestConvertToEnvoyJwtConfig (pilot/pkg/security/authn/policy_applier_test.go), as JSON.
describe('jwtAuthentication (istiod convertToEnvoyJwtConfig)', () => {
  it('no rule → no filter', () => {
    expect(jwtAuthentication([], {}, false)).toBeUndefined();
  });

  it('single JWT rule: requires_any [origins-0, allow_missing], fetched keys inlined', () => {
    expect(jwtAuthentication([{ issuer: 'https://secret.foo.com', jwksUri: JWKS_URI }], { [JWKS_URI]: FETCHED }, false)).toEqual({
      '@type': TYPE,
      rules: [{ match: { prefix: '/' }, requires: { requires_any: { requirements: [{ provider_name: 'origins-0' }, { allow_missing: {} }] } } }],
      providers: {
        'origins-0': { issuer: 'https://secret.foo.com', local_jwks: { inline_string: FETCHED }, payload_in_metadata: 'payload', normalize_payload_in_metadata: NORMALIZE },
      },
      bypass_cors_preflight: true,
    });
  });

  it('multiple JWT rules: any of each provider, or all of (provider or missing) per provider', () => {
    const rules = [
      { issuer: 'https://secret.foo.com', jwksUri: JWKS_URI },
      { issuer: 'https://secret.bar.com', jwks: 'jwks-inline-data' },
    ];
    const orMissing = (n: string) => ({ requires_any: { requirements: [{ provider_name: n }, { allow_missing: {} }] } });
    expect(jwtAuthentication(rules, { [JWKS_URI]: FETCHED }, false)).toEqual({
      '@type': TYPE,
      rules: [
        {
          match: { prefix: '/' },
          requires: {
            requires_any: {
              requirements: [{ provider_name: 'origins-0' }, { provider_name: 'origins-1' }, { requires_all: { requirements: [orMissing('origins-0'), orMissing('origins-1')] } }],
            },
          },
        },
      ],
      providers: {
        'origins-0': { issuer: 'https://secret.foo.com', local_jwks: { inline_string: FETCHED }, payload_in_metadata: 'payload', normalize_payload_in_metadata: NORMALIZE },
        'origins-1': { issuer: 'https://secret.bar.com', local_jwks: { inline_string: 'jwks-inline-data' }, payload_in_metadata: 'payload', normalize_payload_in_metadata: NORMALIZE },
      },
      bypass_cors_preflight: true,
    });
  });

  it('unfetched jwksUri (or issuer discovery) → the public-only JWKS, so tokens fail closed', () => {
    const cfg = jwtAuthentication([{ issuer: 'https://secret.foo.com', jwksUri: JWKS_URI }, { issuer: 'https://z.example.com' }], {}, false);
    expect(cfg?.providers?.['origins-0']?.local_jwks?.inline_string).toBe(PUBLIC_ONLY_JWKS);
    expect(cfg?.providers?.['origins-1']?.local_jwks?.inline_string).toBe(PUBLIC_ONLY_JWKS);
    const discovered = jwtAuthentication([{ issuer: 'https://z.example.com' }], { 'https://z.example.com/.well-known/openid-configuration': FETCHED }, false);
    expect(discovered?.providers?.['origins-0']?.local_jwks?.inline_string).toBe(FETCHED);
  });

  it('every JWTRule field: locations, forward, payload and claim headers, audiences; clear_route_cache on gateways', () => {
    const cfg = jwtAuthentication(
      [
        {
          issuer: 'iss',
          audiences: ['a', 'b'],
          jwks: FETCHED,
          fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }, { name: 'x-raw' }],
          fromParams: ['token'],
          fromCookies: ['session'],
          forwardOriginalToken: true,
          outputPayloadToHeader: 'x-jwt-payload',
          outputClaimToHeaders: [{ header: 'x-sub', claim: 'sub' }],
          spaceDelimitedClaims: ['roles', 'scope'],
        },
      ],
      {},
      true,
    );
    expect(cfg?.providers?.['origins-0']).toEqual({
      issuer: 'iss',
      audiences: ['a', 'b'],
      local_jwks: { inline_string: FETCHED },
      forward: true,
      from_headers: [{ name: 'x-jwt', value_prefix: 'Bearer ' }, { name: 'x-raw' }],
      from_params: ['token'],
      from_cookies: ['session'],
      forward_payload_header: 'x-jwt-payload',
      payload_in_metadata: 'payload',
      normalize_payload_in_metadata: { space_delimited_claims: ['permission', 'roles', 'scope'] },
      claim_to_headers: [{ header_name: 'x-sub', claim_name: 'sub' }],
      clear_route_cache: true,
    });
  });

  it('spaceDelimitedClaims as istiod TestBuildSpaceDelimitedClaims', () => {
    expect(spaceDelimitedClaims(undefined)).toEqual(['permission', 'scope']);
    expect(spaceDelimitedClaims([])).toEqual(['permission', 'scope']);
    expect(spaceDelimitedClaims(['custom', 'scope'])).toEqual(['custom', 'permission', 'scope']);
  });
});

describe('jwtAuthnFilter (the proxy’s selected policies)', () => {
  const snapshot = bookinfoSnapshot({
    requestAuthentications: [
      ra('ratings-only', { selector: { matchLabels: { app: 'ratings' } }, jwtRules: [{ issuer: 'z-issuer', jwks: FETCHED }] }),
      ra('mesh', { jwtRules: [{ issuer: 'a-issuer', jwksUri: JWKS_URI }] }, 'istio-system'),
    ],
    jwks: { [JWKS_URI]: FETCHED },
  });

  it('names the filter envoy.filters.http.jwt_authn; providers from the namespace and root policies, by issuer', () => {
    const f = jwtAuthnFilter(buildContext(snapshot, sidecarProxy('ratings-v1')));
    expect(f?.name).toBe('envoy.filters.http.jwt_authn');
    const providers = (f?.typed_config as JwtAuthentication | undefined)?.providers ?? {};
    expect(Object.fromEntries(Object.entries(providers).map(([k, v]) => [k, v.issuer]))).toEqual({ 'origins-0': 'a-issuer', 'origins-1': 'z-issuer' });
  });

  it('a workload the selector misses gets only the mesh policy; nothing selected → undefined', () => {
    const f = jwtAuthnFilter(buildContext(snapshot, sidecarProxy('reviews-v1')));
    expect(Object.keys((f?.typed_config as JwtAuthentication | undefined)?.providers ?? {})).toEqual(['origins-0']);
    expect(jwtAuthnFilter(buildContext(bookinfoSnapshot(), sidecarProxy('reviews-v1')))).toBeUndefined();
  });

  it('a gateway clears the route cache', () => {
    const f = jwtAuthnFilter(buildContext(snapshot, { ...GATEWAY_PROXY, namespace: 'istio-system' }));
    expect((f?.typed_config as JwtAuthentication | undefined)?.providers?.['origins-0']?.clear_route_cache).toBe(true);
  });
});

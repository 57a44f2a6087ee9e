import { JWT_AUTHN_TYPE, type JwtAuthentication } from '@trellis/mesh-envoy';
import { SignJWT } from 'jose';
import { JwtAuthenticator } from './authenticator';
import type { JwtRequest } from './extract';
import { type TestIssuer, istiodJwtAuthn, testIssuer } from './test-tokens';

const NOW = Math.floor(Date.now() / 1000);
const req = (headers: Record<string, string> = {}, path = '/headers', method = 'GET'): JwtRequest => ({ method, path, headers });
const bearer = (t: string): JwtRequest => req({ authorization: `Bearer ${t}` });
const b64 = (o: unknown): string => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');

describe('jwt_authn verifier (Envoy semantics, istiod config)', () => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  let authn: JwtAuthenticator;
  beforeAll(async () => {
    issuer = await testIssuer();
    other = await testIssuer('other@example.com');
  });
  beforeEach(() => {
    authn = JwtAuthenticator.compile(istiodJwtAuthn(issuer, { audiences: ['bookinfo.example.com'] }));
  });
  const check = (r: JwtRequest, now = NOW) => authn.check(r, { nowSeconds: now });
  const mint: TestIssuer['mint'] = (claims = {}, opts) => issuer.mint({ aud: 'bookinfo.example.com', ...claims }, opts);

  it('no token: passes (authorization decides), synchronously, and the same object every time', async () => {
    const a = authn.decide(req(), undefined, NOW);
    expect(a).not.toBeInstanceOf(Promise);
    expect(authn.decide(req({ 'user-agent': 'curl' }), undefined, NOW)).toBe(a);
    expect(await check(req())).toEqual({ outcome: 'missing', payloads: {} });
  });

  it('a valid token passes with its claims as the payload (scope split), then comes from the cache without a signature check', async () => {
    const token = await mint({ aud: 'https://bookinfo.example.com/', scope: 'read  write', groups: ['g1'] });
    expect(authn.decide(bearer(token), undefined, NOW)).toBeInstanceOf(Promise);
    const ok = await check(bearer(token));
    expect(ok.outcome).toBe('ok');
    expect(ok.payloads['payload']).toMatchObject({ iss: issuer.iss, sub: 'testing@secure.istio.io', scope: ['read', 'write'], groups: ['g1'] });
    expect(authn.decide(bearer(token), undefined, NOW)).not.toBeInstanceOf(Promise);
    expect(authn.config.providers.get('origins-0')?.cache.size).toBe(1);
  });

  it.each([
    ['deadbeef', 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['a.b.c.d', 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    [`a.${b64({})}.c`, 'Jwt header is an invalid Base64url encoded'],
    [`${b64('not json')}.${b64({})}.c2ln`, 'Jwt header is an invalid JSON'],
    [`${b64({ typ: 'JWT' })}.${b64({})}.c2ln`, 'Jwt header [alg] field is required and must be a string'],
    [`${b64({ alg: 'none' })}.${b64({ iss: 'testing@secure.istio.io' })}.c2ln`, 'Jwt header [alg] is not supported'],
    [`${b64({ alg: 'RS256', kid: 7 })}.${b64({})}.c2ln`, 'Jwt header [kid] field is not a string'],
    [`${b64({ alg: 'RS256' })}.${b64('[1]')}.c2ln`, 'Jwt payload is an invalid JSON'],
    [`${b64({ alg: 'RS256' })}.${b64({ exp: 'soon' })}.c2ln`, 'Jwt payload [exp] field is not an integer'],
    [`${b64({ alg: 'RS256' })}.${b64({ aud: [1] })}.c2ln`, 'Jwt payload [aud] field is not a string or string list'],
    [`${b64({ alg: 'RS256' })}.${b64({})}.c2ln!`, 'Jwt signature is an invalid Base64url encoded'],
  ])('malformed token %s → 401 %s', async (token, message) => {
    expect(await check(bearer(token))).toEqual({ outcome: 'failed', status: 401, message, payloads: {} });
  });

  it('every claim and key failure is a 401 (403 for the audience) with Envoy’s text, never a pass', async () => {
    const cases: [Promise<string>, number, string][] = [
      [mint({ exp: NOW - 61 }), 401, 'Jwt is expired'],
      [mint({ nbf: NOW + 61 }), 401, 'Jwt not yet valid'],
      [other.mint(), 401, 'Jwt issuer is not configured'],
      [mint({ aud: 'productpage' }), 403, 'Audiences in Jwt are not allowed'],
      [mint({}, { kid: 'unknown' }), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
      // signed by another key under the issuer's kid and iss
      [new SignJWT({ iss: issuer.iss, aud: 'bookinfo.example.com' }).setProtectedHeader({ alg: 'RS256', kid: issuer.kid }).sign(other.privateKey), 401, 'Jwt verification fails'],
      // HS256 with the RSA public key's text as the secret: the JWKS key is RS256 only
      [new SignJWT({ iss: issuer.iss, aud: 'bookinfo.example.com' }).setProtectedHeader({ alg: 'HS256', kid: issuer.kid }).sign(Buffer.from(issuer.jwks)), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
    ];
    for (const [token, status, message] of cases) {
      expect(await check(bearer(await token))).toEqual({ outcome: 'failed', status, message, payloads: {} });
    }
    expect(authn.config.providers.get('origins-0')?.cache.size).toBe(0);
  });

  it('HS256 against a JWKS key without alg tries it and fails the signature; an oversized token is a 401, not a crash', async () => {
    const { keys } = JSON.parse(issuer.jwks) as { keys: Record<string, unknown>[] };
    const noAlg = JwtAuthenticator.compile(istiodJwtAuthn({ iss: issuer.iss, jwks: JSON.stringify({ keys: keys.map(({ alg: _alg, ...k }) => k) }) }));
    const hs = await new SignJWT({ iss: issuer.iss }).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from('secret'));
    expect((await noAlg.check(bearer(hs))).message).toBe('Jwt verification fails');
    const huge = await mint({ pad: 'x'.repeat(16 * 1024) });
    expect(await check(bearer(`${huge.slice(0, -4)}AAAA`))).toMatchObject({ outcome: 'failed', status: 401, message: 'Jwt verification fails' });
    expect((await check(bearer(huge))).outcome).toBe('ok');
    expect(authn.config.providers.get('origins-0')?.cache.size).toBe(0); // longer than the cache holds
  });

  it('an empty or garbage JWKS still builds; its tokens fail', async () => {
    const token = await mint();
    for (const jwks of ['', 'garbage', '{"keys":[]}', '{"keys":[{"kty":"RSA"}]}']) {
      const a = JwtAuthenticator.compile(istiodJwtAuthn({ iss: issuer.iss, jwks }));
      expect(await a.check(bearer(token), { nowSeconds: NOW })).toMatchObject({ status: 401, message: "Jwks doesn't have any valid public key" });
      expect((await a.check(req(), { nowSeconds: NOW })).outcome).toBe('missing');
    }
  });

  it('the cache honours exp (with the clock skew): a cached token expires like any other', async () => {
    const token = await mint({ exp: NOW + 10 });
    expect((await check(bearer(token))).outcome).toBe('ok');
    expect((await check(bearer(token), NOW + 70)).outcome).toBe('ok'); // within the 60 s skew
    const [h, , sig] = token.split('.');
    const forged = `${h}.${b64({ iss: issuer.iss, aud: 'bookinfo.example.com', sub: 'admin', exp: NOW + 10 })}.${sig}`;
    expect(await check(bearer(forged))).toMatchObject({ status: 401, message: 'Jwt verification fails' }); // same signature, other payload
    expect(await check(bearer(token), NOW + 71)).toMatchObject({ status: 401, message: 'Jwt is expired' });
    expect(authn.config.providers.get('origins-0')?.cache.size).toBe(0);
  });

  it('CORS preflights bypass; a second, bad token fails the request even next to a good one', async () => {
    expect((await check(req({ origin: 'x', 'access-control-request-method': 'GET', authorization: 'Bearer deadbeef' }, '/', 'OPTIONS'))).outcome).toBe('missing');
    const good = await mint();
    const both = req({ authorization: `Bearer ${good}` }, '/?access_token=deadbeef');
    expect((await check(both)).message).toBe('Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
  });
});

describe('jwt_authn token locations and requirements', () => {
  let a: TestIssuer;
  let b: TestIssuer;
  beforeAll(async () => {
    a = await testIssuer('a@example.com', 'ES256');
    b = await testIssuer('b@example.com');
  });

  function config(requires: JwtAuthentication['rules']): JwtAuthentication {
    return {
      '@type': JWT_AUTHN_TYPE,
      providers: {
        pa: { issuer: a.iss, local_jwks: { inline_string: a.jwks }, from_headers: [{ name: 'x-jwt', value_prefix: 'Token ' }], payload_in_metadata: 'a' },
        pb: { issuer: b.iss, local_jwks: { inline_string: b.jwks }, from_params: ['jwt'], payload_in_metadata: 'b' },
      },
      rules: requires,
      requirement_map: { onlyA: { provider_name: 'pa' } },
    };
  }

  it('reads only the provider’s own locations (header with value prefix, query parameter)', async () => {
    const x = JwtAuthenticator.compile(config([{ match: { prefix: '/' }, requires: { provider_name: 'pa' } }]));
    expect((await x.check(req({ 'x-jwt': `Token  ${await a.mint()}` }))).outcome).toBe('ok');
    expect(await x.check(req({ authorization: `Bearer ${await a.mint()}` }))).toMatchObject({ status: 401, message: 'Jwt is missing' });
    expect(await x.check(req({ 'x-jwt': `Bearer ${await a.mint()}` }))).toMatchObject({ message: 'Jwt is missing' });
    const y = JwtAuthenticator.compile(config([{ match: { path: '/exact' }, requires: { provider_name: 'pb' } }]));
    expect((await y.check(req({}, `/exact?x=1&jwt=${await b.mint()}`))).payloads['b']).toMatchObject({ iss: b.iss });
    expect((await y.check(req({}, '/other'))).outcome).toBe('missing'); // no rule matches
  });

  it('requires_all needs both; requires_any either; allow_missing_or_failed lets a bad token through without its payload', async () => {
    const both = { 'x-jwt': `Token ${await a.mint()}` };
    const path = `/p?jwt=${await b.mint()}`;
    const all = JwtAuthenticator.compile(config([{ match: { prefix: '/' }, requires: { requires_all: { requirements: [{ provider_name: 'pa' }, { provider_name: 'pb' }] } } }]));
    expect(Object.keys((await all.check(req(both, path))).payloads).sort()).toEqual(['a', 'b']);
    expect((await all.check(req(both))).message).toBe('Jwt is missing');
    const any = JwtAuthenticator.compile(config([{ match: { prefix: '/' }, requires: { requires_any: { requirements: [{ provider_name: 'pa' }, { provider_name: 'pb' }] } } }]));
    expect((await any.check(req({}, path))).payloads).toEqual({ b: expect.objectContaining({ iss: b.iss }) });
    expect((await any.check(req({ 'x-jwt': 'Token deadbeef' }))).message).toBe('Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
    const lax = JwtAuthenticator.compile(config([{ match: { prefix: '/' }, requires: { allow_missing_or_failed: {} } }]));
    expect(await lax.check(req({ 'x-jwt': 'Token deadbeef' }, path))).toEqual({ outcome: 'ok', payloads: { b: expect.objectContaining({ iss: b.iss }) } });
  });

  it('per-route config: disabled skips, a requirement by name applies, an unknown name is a 403', async () => {
    const x = JwtAuthenticator.compile(config([]));
    expect((await x.check(req({ 'x-jwt': 'Token deadbeef' }), { perRoute: { disabled: true } })).outcome).toBe('missing');
    expect((await x.check(req(), { perRoute: { disabled: false, requirementName: 'onlyA' } })).message).toBe('Jwt is missing');
    expect(await x.check(req(), { perRoute: { disabled: false, requirementName: 'nope' } })).toEqual({
      outcome: 'failed',
      status: 403,
      message: 'Failed JWT authentication: Wrong requirement_name: nope. It should be one of [onlyA]',
      payloads: {},
    });
  });

  it('NACKs remote_jwks (the control plane inlines keys) and unknown providers, naming them', () => {
    const remote = { ...istiodJwtAuthn(a) };
    remote.providers = { 'origins-0': { issuer: a.iss, remote_jwks: { http_uri: { uri: 'https://a/jwks' } } } };
    expect(() => JwtAuthenticator.compile(remote, 'LDS x')).toThrow(
      "LDS x: jwt_authn provider origins-0: remote_jwks is not fetched by this proxy; the control plane inlines the issuer's keys in local_jwks.inline_string",
    );
    expect(() => JwtAuthenticator.compile(config([{ match: { prefix: '/' }, requires: { provider_name: 'pc' } }]), 'LDS x')).toThrow(
      "LDS x: jwt_authn: Required provider ['pc'] is not configured.",
    );
  });
});

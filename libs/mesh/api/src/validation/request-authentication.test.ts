import { validateConfig } from './validate';

const ra = (spec: unknown): unknown => ({ apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace: 'foo' }, spec });
const problems = (spec: unknown): { path: string; message: string }[] => validateConfig([ra(spec)]).errors.map((e) => ({ path: e.path, message: e.message }));
const JWKS = JSON.stringify({ keys: [{ kty: 'RSA', e: 'AQAB', n: 'xyz' }] });

describe('RequestAuthentication validation (Istio ValidateRequestAuthentication + CRD rules)', () => {
  it("accepts Istio's task policy", () => {
    expect(problems({ selector: { matchLabels: { app: 'httpbin' } }, jwtRules: [{ issuer: 'testing@secure.istio.io', jwksUri: 'https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json' }] })).toEqual([]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwks: JWKS, outputClaimToHeaders: [{ header: 'x-jwt-claim-foo', claim: 'foo' }], fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }] }] })).toEqual([]);
  });

  it('requires issuer (schema) and rejects non-http(s) jwksUri', () => {
    expect(problems({ jwtRules: [{ jwksUri: 'https://x/jwks' }] })).toEqual([{ path: 'spec.jwtRules[0].issuer', message: expect.stringContaining('required') }]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwksUri: 'ftp://x/jwks' }] })).toEqual([{ path: 'spec.jwtRules[0].jwksUri', message: 'URI scheme "ftp" is not supported' }]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwksUri: 'not a url' }] })[0]?.path).toBe('spec.jwtRules[0].jwksUri');
  });

  it('jwks and jwksUri not both; inline jwks must be a key set', () => {
    expect(problems({ jwtRules: [{ issuer: 'a', jwksUri: 'https://x/j', jwks: JWKS }] })).toEqual([{ path: 'spec.jwtRules[0]', message: 'only one of jwks or jwksUri can be set' }]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwks: 'nope' }] })).toEqual([{ path: 'spec.jwtRules[0].jwks', message: expect.stringMatching(/^jwks parse error: /) }]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwks: '{"x":1}' }] })).toEqual([{ path: 'spec.jwtRules[0].jwks', message: expect.stringMatching(/"keys"/) }]);
  });

  it('locations, claim headers and duplicate issuers, each naming the field', () => {
    expect(problems({ jwtRules: [{ issuer: 'a', jwks: JWKS, fromHeaders: [{ name: '' }], fromParams: [''], audiences: [''] }] })).toEqual([
      { path: 'spec.jwtRules[0].audiences[0]', message: 'audience must be non-empty string' },
      { path: 'spec.jwtRules[0].fromHeaders[0].name', message: 'location header name must be non-empty string' },
      { path: 'spec.jwtRules[0].fromParams[0]', message: 'location query must be non-empty string' },
    ]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwks: JWKS, outputClaimToHeaders: [{ header: ':path', claim: 'sub' }, { header: 'Connection', claim: 'sub' }, { header: 'x', claim: '' }] }] })).toEqual([
      { path: 'spec.jwtRules[0].outputClaimToHeaders[0].header', message: 'header name :path is not a valid header name' },
      { path: 'spec.jwtRules[0].outputClaimToHeaders[1].header', message: 'header name Connection is a hop-by-hop header and cannot carry a claim' },
      { path: 'spec.jwtRules[0].outputClaimToHeaders[2]', message: 'outputClaimToHeaders header and claim value must be non-empty string' },
    ]);
    expect(problems({ jwtRules: [{ issuer: 'a', jwks: JWKS }, { issuer: 'a', jwksUri: 'https://x/j' }] })).toEqual([
      { path: 'spec.jwtRules[1].issuer', message: 'duplicate issuer "a" (also in spec.jwtRules[0])' },
    ]);
  });

  it('selector and targetRef are exclusive', () => {
    expect(problems({ selector: { matchLabels: { a: 'b' } }, targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }, jwtRules: [] })).toEqual([
      { path: 'spec', message: 'only one of targetRefs or selector can be set' },
    ]);
  });
});

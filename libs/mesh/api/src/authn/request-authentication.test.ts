import type { RequestAuthentication } from '../types';
import { jwksKeyOf, jwksKeysOf, jwtRulesOf, requestAuthenticationsFor } from './request-authentication';

const ra = (namespace: string, name: string, spec: RequestAuthentication['spec']): RequestAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'RequestAuthentication',
  metadata: { name, namespace },
  spec,
});

const rule = { issuer: 'testing@secure.istio.io', jwksUri: 'https://example.com/jwks.json' };

describe('requestAuthenticationsFor (istiod getConfigsForWorkload + ShouldAttachPolicy)', () => {
  const httpbin = { namespace: 'foo', labels: { app: 'httpbin' } };
  const gwLabels = { 'gateway.networking.k8s.io/gateway-name': 'gw', app: 'gw' };

  it('own namespace first, then the root namespace; selector must match; other namespaces never', () => {
    const policies = [
      ra('istio-system', 'mesh', { jwtRules: [rule] }),
      ra('foo', 'ns', { jwtRules: [rule] }),
      ra('foo', 'wl', { selector: { matchLabels: { app: 'httpbin' } }, jwtRules: [rule] }),
      ra('foo', 'other', { selector: { matchLabels: { app: 'sleep' } }, jwtRules: [rule] }),
      ra('bar', 'elsewhere', { jwtRules: [rule] }),
    ];
    expect(requestAuthenticationsFor(policies, httpbin).map((p) => p.metadata.name)).toEqual(['ns', 'wl', 'mesh']);
    expect(requestAuthenticationsFor(policies, { namespace: 'istio-system', labels: {} }).map((p) => p.metadata.name)).toEqual(['mesh']);
  });

  it('targetRef: ignored by sidecars; a Gateway API gateway takes the policy naming it from its own namespace', () => {
    const byRef = ra('foo', 'ref', { targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }, jwtRules: [rule] });
    const byRefs = ra('foo', 'refs', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'other' }], jwtRules: [rule] });
    const fromRoot = ra('istio-system', 'root-ref', { targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }, jwtRules: [rule] });
    const wrongGroup = ra('foo', 'svc', { targetRef: { kind: 'Gateway', name: 'gw' }, jwtRules: [rule] });
    const bySelector = ra('foo', 'sel', { selector: { matchLabels: { app: 'gw' } }, jwtRules: [rule] });
    const all = [byRef, byRefs, fromRoot, wrongGroup, bySelector];
    expect(requestAuthenticationsFor(all, httpbin)).toEqual([]);
    expect(requestAuthenticationsFor(all, { namespace: 'foo', labels: gwLabels }).map((p) => p.metadata.name)).toEqual(['ref', 'sel']);
  });
});

describe('jwtRulesOf / jwksKeyOf', () => {
  it('sorts rules by issuer, stable for equal issuers (origins-<i> follow this order)', () => {
    const rules = jwtRulesOf([ra('foo', 'a', { jwtRules: [{ issuer: 'b', jwks: '1' }, { issuer: 'a' }] }), ra('foo', 'b', { jwtRules: [{ issuer: 'b', jwks: '2' }] })]);
    expect(rules).toEqual([{ issuer: 'a' }, { issuer: 'b', jwks: '1' }, { issuer: 'b', jwks: '2' }]);
  });

  it('keys a rule by jwksUri, else by its issuer discovery URL; inline jwks needs no key', () => {
    expect(jwksKeyOf(rule)).toBe('https://example.com/jwks.json');
    expect(jwksKeyOf({ issuer: 'https://accounts.example.com/' })).toBe('https://accounts.example.com/.well-known/openid-configuration');
    expect(jwksKeyOf({ issuer: 'x', jwks: '{"keys":[]}' })).toBeUndefined();
    expect(jwksKeysOf([ra('a', 'a', { jwtRules: [rule, { issuer: 'https://i' }] }), ra('b', 'b', { jwtRules: [rule] })])).toEqual([
      'https://example.com/jwks.json',
      'https://i/.well-known/openid-configuration',
    ]);
  });
});

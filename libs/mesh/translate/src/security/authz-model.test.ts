import type { AuthorizationPolicy, AuthorizationPolicySpec } from '@trellis/mesh-api';
import { buildRbacRules, policyRbac } from './authz-builder';

const ap = (spec: AuthorizationPolicySpec, annotations?: Record<string, string>): AuthorizationPolicy => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'p', namespace: 'foo', ...(annotations && { annotations }) },
  spec,
});
const principalOf = (p: ReturnType<typeof policyRbac>[string] | undefined): unknown => p?.principals?.[0]?.and_ids?.ids?.[0];

describe('authz model details beyond the golden cases', () => {
  it('source principals written for cluster.local follow the mesh trust domain; foreign domains are kept', () => {
    const p = ap({ rules: [{ from: [{ source: { principals: ['cluster.local/ns/foo/sa/sleep', 'other.td/ns/foo/sa/sleep'] } }] }] });
    const built = policyRbac(p, 'ALLOW', { trustDomain: 'example.org', forTCP: false });
    expect(principalOf(built['ns[foo]-policy[p]-rule[0]'])).toEqual({
      or_ids: { ids: [{ authenticated: { principal_name: { exact: 'spiffe://example.org/ns/foo/sa/sleep' } } }, { authenticated: { principal_name: { exact: 'spiffe://other.td/ns/foo/sa/sleep' } } }] },
    });
  });

  it('a value istiod cannot express drops the ALLOW rule but only the value of a DENY rule', () => {
    const rules = [{ from: [{ source: { ipBlocks: ['bad', '10.0.0.0/8'] } }] }];
    expect(policyRbac(ap({ rules }), 'ALLOW', { trustDomain: 'cluster.local', forTCP: false })).toEqual({});
    const deny = policyRbac(ap({ action: 'DENY', rules }), 'DENY', { trustDomain: 'cluster.local', forTCP: false });
    expect(principalOf(deny['ns[foo]-policy[p]-rule[0]'])).toEqual({ or_ids: { ids: [{ direct_remote_ip: { address_prefix: '10.0.0.0', prefix_len: { value: 8 } } }] } });
  });

  it('request principals split iss/sub at the last "/"; an unknown when key drops the rule', () => {
    const rules = [{ from: [{ source: { requestPrincipals: ['https://issuer.example.com/a/user1'] } }] }, { when: [{ key: 'nope', values: ['x'] }] }];
    const built = policyRbac(ap({ rules }), 'ALLOW', { trustDomain: 'cluster.local', forTCP: false });
    expect(Object.keys(built)).toEqual(['ns[foo]-policy[p]-rule[0]']);
    const ids = (principalOf(built['ns[foo]-policy[p]-rule[0]']) as { and_ids: { ids: { metadata: { path: unknown; value: unknown } }[] } }).and_ids.ids;
    expect(ids.map((i) => [i.metadata.path, i.metadata.value])).toEqual([
      [[{ key: 'payload' }, { key: 'iss' }], { string_match: { exact: 'https://issuer.example.com/a' } }],
      [[{ key: 'payload' }, { key: 'sub' }], { string_match: { exact: 'user1' } }],
    ]);
  });

  it('CUSTOM callers name policies with their prefix; dry-run goes to shadow rules', () => {
    const built = buildRbacRules([ap({ rules: [{}] }, { 'istio.io/dry-run': 'true' })], 'DENY', { trustDomain: 'cluster.local', forTCP: true, namePrefix: 'istio-ext-authz-x-' });
    expect(built?.rules).toBeUndefined();
    expect(Object.keys(built?.shadowRules?.policies ?? {})).toEqual(['istio-ext-authz-x-ns[foo]-policy[p]-rule[0]']);
  });
});

import type { AuthorizationPolicy, AuthorizationPolicySpec } from '../types';
import { authorizationPoliciesByAction, authorizationPoliciesFor, isDryRun } from './authorization-policy-selection';

function ap(namespace: string, name: string, spec: AuthorizationPolicySpec, created = '2024-01-01T00:00:00Z', annotations?: Record<string, string>): AuthorizationPolicy {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace, creationTimestamp: created, ...(annotations && { annotations }) }, spec };
}

const names = (ps: readonly AuthorizationPolicy[]): string[] => ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
const httpbin = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };

describe('authorizationPoliciesFor (istiod ListAuthorizationPolicies)', () => {
  it('takes the root namespace first, then the workload namespace, each in creation order; selectors must match', () => {
    const policies = [
      ap('foo', 'late', {}, '2024-01-03T00:00:00Z'),
      ap('foo', 'early', { selector: { matchLabels: { app: 'httpbin' } } }, '2024-01-02T00:00:00Z'),
      ap('foo', 'other-app', { selector: { matchLabels: { app: 'productpage' } } }),
      ap('bar', 'elsewhere', {}),
      ap('istio-system', 'mesh', {}, '2024-01-05T00:00:00Z'),
      ap('istio-system', 'mesh-selecting', { selector: { matchLabels: { version: 'v1' } } }, '2024-01-06T00:00:00Z'),
    ];
    expect(names(authorizationPoliciesFor(policies, httpbin, 'istio-system'))).toEqual([
      'istio-system/mesh',
      'istio-system/mesh-selecting',
      'foo/early',
      'foo/late',
    ]);
  });

  it('a targetRef policy never applies to a sidecar; on a Gateway API gateway it must name the gateway from its namespace', () => {
    const ref = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' };
    const policies = [
      ap('foo', 'to-gw', { targetRefs: [ref] }),
      ap('foo', 'to-other', { targetRef: { ...ref, name: 'other' } }),
      ap('bar', 'other-ns', { targetRef: ref }),
      ap('foo', 'by-selector', { selector: { matchLabels: { app: 'gw' } } }),
    ];
    expect(names(authorizationPoliciesFor(policies, httpbin))).toEqual([]);
    const gateway = { namespace: 'foo', labels: { app: 'gw', 'gateway.networking.k8s.io/gateway-name': 'gw' } };
    expect(names(authorizationPoliciesFor(policies, gateway))).toEqual(['foo/by-selector', 'foo/to-gw']);
  });

  it('groups by action (absent = ALLOW)', () => {
    const r = authorizationPoliciesByAction(
      [ap('foo', 'a', {}), ap('foo', 'd', { action: 'DENY' }), ap('foo', 'c', { action: 'CUSTOM', provider: { name: 'x' } }), ap('foo', 'l', { action: 'AUDIT' })],
      httpbin,
    );
    expect([names(r.allow), names(r.deny), names(r.custom), names(r.audit)]).toEqual([['foo/a'], ['foo/d'], ['foo/c'], ['foo/l']]);
  });

  it('reads istio.io/dry-run as Go ParseBool', () => {
    expect(isDryRun(ap('foo', 'a', {}, undefined, { 'istio.io/dry-run': 'true' }))).toBe(true);
    expect(isDryRun(ap('foo', 'a', {}, undefined, { 'istio.io/dry-run': 'T' }))).toBe(true);
    expect(isDryRun(ap('foo', 'a', {}, undefined, { 'istio.io/dry-run': 'yes' }))).toBe(false);
    expect(isDryRun(ap('foo', 'a', {}))).toBe(false);
  });
});

import type { AuthorizationPolicy, AuthorizationPolicySpec } from '@trellis/mesh-api';
import type { HttpFilter, HttpRbac, NetworkFilter, NetworkRbac } from '@trellis/mesh-envoy';
import { buildContext } from '../context';
import { bookinfoSnapshot, NS, sidecarProxy } from '../testing/bookinfo';
import { inboundHttpSecurityFilters, inboundTcpSecurityFilters, securityKey } from './index';

/** The composer's order, with the jwt_authn and CUSTOM parts replaced by markers. */
jest.mock('./jwt-authn', () => ({ jwtAuthnFilter: (): HttpFilter => ({ name: 'envoy.filters.http.jwt_authn' }) }));
jest.mock('./ext-authz', () => ({
  extAuthzFilters: (_ctx: unknown, custom: readonly AuthorizationPolicy[]) =>
    custom.length === 0 ? { http: [], tcp: [] } : { http: [{ name: 'custom-rbac' }, { name: 'envoy.filters.http.ext_authz' }], tcp: [{ name: 'custom-tcp' }] },
}));

const ap = (name: string, spec: AuthorizationPolicySpec): AuthorizationPolicy => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: NS }, spec });
const POLICIES = [
  ap('allow', { action: 'ALLOW', rules: [{}] }),
  ap('audit', { action: 'AUDIT', rules: [{}] }),
  ap('deny', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] }),
  ap('custom', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] }),
];

const described = (f: HttpFilter | NetworkFilter): string => {
  const c = f.typed_config as HttpRbac | NetworkRbac | undefined;
  return c?.rules?.action !== undefined ? `${f.name ?? ''}:${c.rules.action}` : (f.name ?? '');
};

describe('inbound security composer', () => {
  const ctx = buildContext(bookinfoSnapshot({ authorizationPolicies: POLICIES }), sidecarProxy('reviews-v1'));

  it("HTTP in istiod's order: CUSTOM → jwt_authn → rbac AUDIT (LOG) → DENY → ALLOW", () => {
    expect(inboundHttpSecurityFilters(ctx).map(described)).toEqual([
      'custom-rbac',
      'envoy.filters.http.ext_authz',
      'envoy.filters.http.jwt_authn',
      'envoy.filters.http.rbac:LOG',
      'envoy.filters.http.rbac:DENY',
      'envoy.filters.http.rbac:ALLOW',
    ]);
  });

  it('TCP: CUSTOM → network rbac AUDIT → DENY → ALLOW; a DENY rule of HTTP-only fields denies every connection', () => {
    const tcp = inboundTcpSecurityFilters(ctx);
    expect(tcp.map(described)).toEqual(['custom-tcp', 'envoy.filters.network.rbac:LOG', 'envoy.filters.network.rbac:DENY', 'envoy.filters.network.rbac:ALLOW']);
    const deny = tcp[2]?.typed_config as NetworkRbac;
    expect(deny.stat_prefix).toBe('tcp.');
    expect(deny.rules?.policies?.['ns[default]-policy[deny]-rule[0]']).toEqual({ permissions: [{ and_rules: { rules: [{ any: true }] } }], principals: [{ and_ids: { ids: [{ any: true }] } }] });
  });

  it('the memo key follows namespace and labels only once security config exists', () => {
    const none = buildContext(bookinfoSnapshot(), sidecarProxy('reviews-v1'));
    expect(securityKey(none)).toBe('');
    expect(securityKey(ctx)).not.toBe(securityKey(buildContext(ctx.snapshot, sidecarProxy('reviews-v2'))));
  });
});

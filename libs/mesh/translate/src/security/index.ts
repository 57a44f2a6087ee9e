import { authorizationPoliciesByAction } from '@trellis/mesh-api';
import type { HttpFilter, NetworkFilter } from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';
import { rbacHttpFilters, rbacTcpFilters } from './authz-builder';
import { extAuthzFilters } from './ext-authz';
import { jwtAuthnFilter } from './jwt-authn';

/**
 * The security filters of a workload's inbound (sidecar) or gateway listeners, in istiod's order
 * (pilot/pkg/networking/core/listener_builder.go buildHTTPConnectionManager, networkfilter.go
 * buildCompleteNetworkFilters):
 *   HTTP: CUSTOM (rbac in shadow + ext_authz) → jwt_authn → rbac AUDIT → rbac DENY → rbac ALLOW
 *   TCP:  CUSTOM → rbac AUDIT → rbac DENY → rbac ALLOW   (before tcp_proxy)
 * Enforcement order is CUSTOM, DENY, ALLOW as Istio documents; AUDIT (action LOG) never rejects.
 * Outbound listeners get none. Both lists are empty when no policy applies, so the listeners of a
 * mesh without security config are unchanged.
 */

export interface SecurityFilters {
  readonly http: readonly HttpFilter[];
  readonly tcp: readonly NetworkFilter[];
}

const NONE: SecurityFilters = { http: [], tcp: [] };
const memo = new WeakMap<TranslateContext, SecurityFilters>();

function build(ctx: TranslateContext): SecurityFilters {
  const { snapshot, proxy } = ctx;
  const byAction = authorizationPoliciesByAction(snapshot.authorizationPolicies, { namespace: proxy.namespace, labels: proxy.labels }, snapshot.rootNamespace);
  const custom = extAuthzFilters(ctx, byAction.custom);
  const jwt = jwtAuthnFilter(ctx);
  const o = { trustDomain: ctx.options.trustDomain };
  return {
    http: [...custom.http, ...(jwt !== undefined ? [jwt] : []), ...rbacHttpFilters(byAction, o)],
    tcp: [...custom.tcp, ...rbacTcpFilters(byAction, o)],
  };
}

/** Both lists for the proxy's workload, built once per translation context. */
export function inboundSecurityFilters(ctx: TranslateContext): SecurityFilters {
  if (ctx.snapshot.authorizationPolicies.length === 0 && ctx.snapshot.requestAuthentications.length === 0) return NONE;
  const hit = memo.get(ctx);
  if (hit !== undefined) return hit;
  const built = build(ctx);
  memo.set(ctx, built);
  return built;
}

export function inboundHttpSecurityFilters(ctx: TranslateContext): HttpFilter[] {
  return [...inboundSecurityFilters(ctx).http];
}

export function inboundTcpSecurityFilters(ctx: TranslateContext): NetworkFilter[] {
  return [...inboundSecurityFilters(ctx).tcp];
}

/**
 * What the security filters depend on beyond the snapshot, for the translator's memo keys: nothing
 * without AuthorizationPolicies or RequestAuthentications, else the workload's namespace and labels
 * (policies select by both).
 */
export function securityKey(ctx: TranslateContext): string {
  const { snapshot, proxy } = ctx;
  if (snapshot.authorizationPolicies.length === 0 && snapshot.requestAuthentications.length === 0) return '';
  const labels = Object.entries(proxy.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([proxy.namespace, labels]);
}

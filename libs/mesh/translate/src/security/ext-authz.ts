import type { AuthorizationPolicy } from '@trellis/mesh-api';
import type { HttpFilter, NetworkFilter } from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';

/**
 * CUSTOM AuthorizationPolicies → istiod's pair per provider: an RBAC filter in shadow mode marking the
 * requests the CUSTOM rules match, then `envoy.filters.http.ext_authz` enabled by that mark
 * (pilot/pkg/security/authz/builder/extauthz.go). Empty when no CUSTOM policy applies.
 * (Stub: filled in by the CUSTOM/ext_authz work.)
 */
export interface ExtAuthzFilters {
  readonly http: HttpFilter[];
  readonly tcp: NetworkFilter[];
}

export function extAuthzFilters(_ctx: TranslateContext, _custom: readonly AuthorizationPolicy[]): ExtAuthzFilters {
  return { http: [], tcp: [] };
}

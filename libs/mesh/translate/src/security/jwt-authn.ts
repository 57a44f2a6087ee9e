import type { HttpFilter } from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';

/**
 * RequestAuthentication → `envoy.filters.http.jwt_authn` for the proxy's workload (istiod's
 * pilot/pkg/security/authn policy_applier.go). Undefined when no RequestAuthentication selects it.
 * (Stub: filled in by the RequestAuthentication work.)
 */
export function jwtAuthnFilter(_ctx: TranslateContext): HttpFilter | undefined {
  return undefined;
}

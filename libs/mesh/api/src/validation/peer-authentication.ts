import type { PeerAuthenticationSpec } from '../types';
import type { FieldProblem } from './ajv-errors';

/**
 * Istio's validation-webhook checks of PeerAuthentication (`ValidatePeerAuthentication` in
 * pkg/config/validation) beyond the schema: port-level mTLS needs a workload selector (istiod would
 * ignore it on a mesh or namespace policy), is not empty when present, and names no port 0.
 */
export function checkPeerAuthentication(spec: PeerAuthenticationSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  const ports = spec.portLevelMtls;
  if (ports === undefined) return out;
  const emptySelector = Object.keys(spec.selector?.matchLabels ?? {}).length === 0;
  if (emptySelector && Object.keys(ports).length > 0) {
    out.push({ path: 'spec.portLevelMtls', message: 'mesh/namespace peer authentication cannot have port level mTLS' });
  }
  if (Object.keys(ports).length === 0) out.push({ path: 'spec.portLevelMtls', message: 'port level mTLS, if defined, must have at least one element' });
  for (const key of Object.keys(ports)) {
    const port = Number(key);
    if (!Number.isInteger(port) || port < 0 || port > 65535) out.push({ path: `spec.portLevelMtls.${key}`, message: 'port must be a number in 1-65535' });
    else if (port === 0) out.push({ path: `spec.portLevelMtls.${key}`, message: 'port cannot be 0' });
  }
  return out;
}

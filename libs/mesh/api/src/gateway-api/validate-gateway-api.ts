import type { KubernetesHTTPRoute, KubernetesGateway } from '../types';
import type { FieldProblem } from '../validation/ajv-errors';
import { checkKubernetesGateway } from './validate-gateway';
import { checkHttpRoute } from './validate-http-route';

/**
 * The Gateway API kinds' checks beyond the schema: the upstream CRDs' CEL rules
 * (x-kubernetes-validations), which a Kubernetes without CEL (< 1.25) does not run. `kind` is the id.
 */
export function checkGatewayApi(kind: string, o: Record<string, unknown>): FieldProblem[] {
  if (kind === 'KubernetesGateway') return checkKubernetesGateway((o as unknown as KubernetesGateway).spec);
  if (kind === 'HTTPRoute') return checkHttpRoute((o as unknown as KubernetesHTTPRoute).spec);
  return [];
}

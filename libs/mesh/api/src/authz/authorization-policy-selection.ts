import type { AuthorizationPolicy, PolicyTargetReference } from '../types';
import { labelsMatch } from '../match/labels';
import { DEFAULT_ROOT_NAMESPACE } from '../authn/peer-authentication';

/**
 * Which AuthorizationPolicies apply to a workload, as istiod selects them
 * (`pilot/pkg/model/authorization.go` ListAuthorizationPolicies + `policyattachment.go` ShouldAttachPolicy),
 * grouped by action. The translator, `trellis analyze` and `trellis x authz check` share it.
 *
 * - candidates: the root namespace's policies (they apply mesh-wide), then the workload namespace's,
 *   each in creation order (then name);
 * - a workload that is not a Gateway API gateway (no `gateway.networking.k8s.io/gateway-name` label):
 *   a policy with `targetRef(s)` never applies; otherwise its selector must match (none = all);
 * - a Gateway API gateway: without targetRefs the selector decides (ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY,
 *   default on); with targetRefs one must name the gateway (`kind: Gateway`, group
 *   gateway.networking.k8s.io) from the policy's own namespace, which must be the workload's. `kind:
 *   Service`/`ServiceEntry`/`GatewayClass` refs attach to waypoints only, which Trellis has not got.
 */

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Istio's `istio.io/dry-run` annotation: the policy's rules go to `shadow_rules` (counted, not enforced). */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

export interface AuthorizationPolicyTarget {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** istiod's AuthorizationPoliciesResult. */
export interface AuthorizationPoliciesByAction {
  readonly custom: readonly AuthorizationPolicy[];
  readonly deny: readonly AuthorizationPolicy[];
  readonly allow: readonly AuthorizationPolicy[];
  readonly audit: readonly AuthorizationPolicy[];
}

const nsOf = (p: AuthorizationPolicy): string => p.metadata.namespace ?? 'default';

/** `targetRefs`, else the legacy single `targetRef` (istiod GetTargetRefs). */
export function authorizationPolicyTargetRefs(p: AuthorizationPolicy): PolicyTargetReference[] {
  const refs = p.spec.targetRefs ?? [];
  if (refs.length === 0 && p.spec.targetRef !== undefined) return [p.spec.targetRef];
  return refs;
}

function attachesToGateway(ref: PolicyTargetReference, policyNs: string, target: AuthorizationPolicyTarget, gateway: string): boolean {
  if (policyNs !== target.namespace) return false;
  if (ref.namespace !== undefined && ref.namespace !== '' && ref.namespace !== target.namespace) return false;
  return (ref.group ?? '') === GATEWAY_API_GROUP && ref.kind === 'Gateway' && ref.name === gateway;
}

/** istiod's ShouldAttachPolicy for a sidecar or gateway (not a waypoint); the namespace is checked by the caller. */
export function authorizationPolicyAttaches(p: AuthorizationPolicy, target: AuthorizationPolicyTarget): boolean {
  const gateway = target.labels[GATEWAY_NAME_LABEL];
  const refs = authorizationPolicyTargetRefs(p);
  if (refs.length === 0) return labelsMatch(p.spec.selector?.matchLabels, target.labels);
  if (gateway === undefined) return false;
  return refs.some((ref) => attachesToGateway(ref, nsOf(p), target, gateway));
}

/** `istio.io/dry-run` parsed as Go's strconv.ParseBool (a bad value: not dry-run, as istiod logs and goes on). */
export function isDryRun(p: AuthorizationPolicy): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(p.metadata.annotations?.[DRY_RUN_ANNOTATION] ?? '');
}

/** Creation time, then name, then namespace (istiod's sortConfigByCreationTime). */
function compare(a: AuthorizationPolicy, b: AuthorizationPolicy): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? '');
  const tb = Date.parse(b.metadata.creationTimestamp ?? '');
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
  const key = (p: AuthorizationPolicy): string => `${p.metadata.creationTimestamp ?? ''}\u0000${p.metadata.name}\u0000${nsOf(p)}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** The policies attaching to the workload, root namespace first, each namespace in creation order. */
export function authorizationPoliciesFor(
  policies: readonly AuthorizationPolicy[],
  target: AuthorizationPolicyTarget,
  rootNamespace = DEFAULT_ROOT_NAMESPACE,
): AuthorizationPolicy[] {
  const lookIn = rootNamespace === target.namespace ? [rootNamespace] : [rootNamespace, target.namespace];
  const ordered = [...policies].sort(compare);
  return lookIn.flatMap((ns) => ordered.filter((p) => nsOf(p) === ns && authorizationPolicyAttaches(p, target)));
}

/** The same, grouped by action (absent = ALLOW) as istiod's builder takes them. */
export function authorizationPoliciesByAction(
  policies: readonly AuthorizationPolicy[],
  target: AuthorizationPolicyTarget,
  rootNamespace = DEFAULT_ROOT_NAMESPACE,
): AuthorizationPoliciesByAction {
  const applied = authorizationPoliciesFor(policies, target, rootNamespace);
  const of = (action: string): AuthorizationPolicy[] => applied.filter((p) => (p.spec.action ?? 'ALLOW') === action);
  return { custom: of('CUSTOM'), deny: of('DENY'), allow: of('ALLOW'), audit: of('AUDIT') };
}

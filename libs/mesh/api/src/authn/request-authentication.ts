import type { JWTRule, PolicyTargetReference, RequestAuthentication } from '../types';
import { labelsMatch } from '../match/labels';
import { DEFAULT_ROOT_NAMESPACE } from './peer-authentication';

/**
 * Which RequestAuthentications apply to a workload, as istiod selects them
 * (`pilot/pkg/model/authentication.go` getConfigsForWorkload + `policyattachment.go` ShouldAttachPolicy),
 * and which JWKS each JWT rule needs. The translator, the control plane's JWKS resolver and the CLI share it.
 *
 * - candidates: the workload's namespace, then the root namespace (each in creation order);
 * - a workload that is not a Gateway API gateway (no `gateway.networking.k8s.io/gateway-name` label):
 *   a policy with `targetRef(s)` never applies; otherwise its selector must match (none = all);
 * - a Gateway API gateway: a policy without targetRefs applies by selector (istiod's
 *   ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY, default true); with targetRefs, one must name the
 *   gateway (`kind: Gateway`, group gateway.networking.k8s.io) from the workload's own namespace.
 */

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The OpenID discovery path istiod appends to an issuer without `jwksUri`. */
export const OPENID_DISCOVERY_SUFFIX = '/.well-known/openid-configuration';

export interface RequestAuthenticationTarget {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

const nsOf = (p: RequestAuthentication): string => p.metadata.namespace ?? 'default';

/** `targetRefs`, else the legacy single `targetRef` (istiod GetTargetRefs). */
export function targetRefsOf(p: RequestAuthentication): PolicyTargetReference[] {
  const refs = p.spec.targetRefs ?? [];
  if (refs.length === 0 && p.spec.targetRef !== undefined) return [p.spec.targetRef];
  return refs;
}

function attachesToGateway(ref: PolicyTargetReference, policyNs: string, target: RequestAuthenticationTarget, gateway: string): boolean {
  if (policyNs !== target.namespace) return false;
  if (ref.namespace !== undefined && ref.namespace !== '' && ref.namespace !== target.namespace) return false;
  return (ref.group ?? '') === GATEWAY_API_GROUP && ref.kind === 'Gateway' && ref.name === gateway;
}

/** istiod's ShouldAttachPolicy for a sidecar or gateway (not a waypoint). */
export function requestAuthenticationApplies(p: RequestAuthentication, target: RequestAuthenticationTarget): boolean {
  const gateway = target.labels[GATEWAY_NAME_LABEL];
  const refs = targetRefsOf(p);
  if (refs.length === 0) return labelsMatch(p.spec.selector?.matchLabels, target.labels);
  if (gateway === undefined) return false;
  return refs.some((ref) => attachesToGateway(ref, nsOf(p), target, gateway));
}

/** The RequestAuthentications selecting the workload: its namespace's, then the root namespace's, each in the given (creation) order. */
export function requestAuthenticationsFor(
  policies: readonly RequestAuthentication[],
  target: RequestAuthenticationTarget,
  rootNamespace = DEFAULT_ROOT_NAMESPACE,
): RequestAuthentication[] {
  const lookIn = target.namespace === rootNamespace ? [rootNamespace] : [target.namespace, rootNamespace];
  return lookIn.flatMap((ns) => policies.filter((p) => nsOf(p) === ns && requestAuthenticationApplies(p, target)));
}

/**
 * The JWT rules istiod turns into providers: every selected policy's rules, stably sorted by issuer
 * (newPolicyApplier; providers are then named `origins-<index>` in this order).
 */
export function jwtRulesOf(policies: readonly RequestAuthentication[]): JWTRule[] {
  const rules = policies.flatMap((p) => p.spec.jwtRules ?? []);
  return rules.map((rule, i) => ({ rule, i })).sort((a, b) => (a.rule.issuer < b.rule.issuer ? -1 : a.rule.issuer > b.rule.issuer ? 1 : a.i - b.i)).map((x) => x.rule);
}

/**
 * The key of the JWKS a rule needs in `MeshSnapshot.jwks`, or undefined when the rule carries its keys
 * inline (`jwks`): its `jwksUri`, else (issuer only) the issuer's OpenID discovery document URL
 * (`<issuer>/.well-known/openid-configuration`), whose `jwks_uri` the control plane follows.
 */
export function jwksKeyOf(rule: JWTRule): string | undefined {
  if (rule.jwks !== undefined && rule.jwks !== '') return undefined;
  if (rule.jwksUri !== undefined && rule.jwksUri !== '') return rule.jwksUri;
  if (rule.issuer === '') return undefined;
  return `${(rule.issuer.endsWith('/') ? rule.issuer.slice(0, -1) : rule.issuer)}${OPENID_DISCOVERY_SUFFIX}`;
}

/** Every JWKS key the given RequestAuthentications need (deduplicated, sorted). */
export function jwksKeysOf(policies: readonly RequestAuthentication[]): string[] {
  const keys = new Set<string>();
  for (const p of policies) for (const rule of p.spec.jwtRules ?? []) {
    const key = jwksKeyOf(rule);
    if (key !== undefined) keys.add(key);
  }
  return [...keys].sort();
}

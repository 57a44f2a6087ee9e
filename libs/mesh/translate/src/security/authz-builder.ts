import { isDryRun, type AuthorizationPolicy, type AuthorizationPoliciesByAction } from '@trellis/mesh-api';
import {
  NETWORK_RBAC_FILTER_NAME,
  NETWORK_RBAC_TYPE,
  RBAC_FILTER_NAME,
  RBAC_TYPE,
  type HttpFilter,
  type HttpRbac,
  type NetworkFilter,
  type NetworkRbac,
  type RbacAction,
  type RbacPolicy,
  type RbacRules,
} from '@trellis/mesh-envoy';
import { isSkip } from './authz-generators';
import { buildModel, generatePolicy } from './authz-model';

/**
 * AuthorizationPolicies of one action → Envoy RBAC, as istiod's builder (pilot/pkg/security/authz/builder/builder.go):
 * one policy per rule named `ns[<ns>]-policy[<name>]-rule[<i>]`, dry-run policies in `shadow_rules`,
 * a policy without rules as one never-matching policy; the HTTP filter `envoy.filters.http.rbac` and
 * the network filter `envoy.filters.network.rbac` (stat_prefix `tcp.`). Filters per action in
 * istiod's order: AUDIT, DENY, ALLOW.
 */

export interface RbacBuildOptions {
  /** The mesh trust domain (`source.principal` values written for cluster.local are rewritten to it). */
  readonly trustDomain: string;
  /** Build for a TCP filter chain: HTTP-only attributes cannot match there. */
  readonly forTCP: boolean;
  /** Prepended to every policy name (CUSTOM: `istio-ext-authz-<provider>-`). */
  readonly namePrefix?: string;
}

/** The enforced and the dry-run rules of one action (either absent when no policy of that kind). */
export interface BuiltRbac {
  readonly rules?: RbacRules;
  readonly shadowRules?: RbacRules;
}

export const RBAC_TCP_STAT_PREFIX = 'tcp.';
export const SHADOW_ALLOW_STAT_PREFIX = 'istio_dry_run_allow_';
export const SHADOW_DENY_STAT_PREFIX = 'istio_dry_run_deny_';

const MATCH_NEVER: RbacPolicy = { permissions: [{ not_rule: { any: true } }], principals: [{ not_id: { any: true } }] };

export function rbacPolicyName(namespace: string, name: string, rule: number, prefix = ''): string {
  return `${prefix}ns[${namespace}]-policy[${name}]-rule[${rule}]`;
}

/** One policy's RBAC policies by name (rules istiod cannot express are left out, see authz-model.ts). */
export function policyRbac(p: AuthorizationPolicy, action: RbacAction, o: RbacBuildOptions): Record<string, RbacPolicy> {
  const ns = p.metadata.namespace ?? 'default';
  const rules = p.spec.rules ?? [];
  if (rules.length === 0) return { [rbacPolicyName(ns, p.metadata.name, 0, o.namePrefix)]: MATCH_NEVER };
  const out: Record<string, RbacPolicy> = {};
  rules.forEach((r, i) => {
    const model = buildModel(r, ns, o.trustDomain);
    if (isSkip(model)) return;
    const policy = generatePolicy(model, o.forTCP, action);
    if (!isSkip(policy)) out[rbacPolicyName(ns, p.metadata.name, i, o.namePrefix)] = policy;
  });
  return out;
}

/** istiod's Builder.build for one action; undefined when no policy has it. */
export function buildRbacRules(policies: readonly AuthorizationPolicy[], action: RbacAction, o: RbacBuildOptions): BuiltRbac | undefined {
  if (policies.length === 0) return undefined;
  const enforced = policies.filter((p) => !isDryRun(p));
  const dryRun = policies.filter((p) => isDryRun(p));
  const rulesOf = (ps: readonly AuthorizationPolicy[]): RbacRules => ({ action, policies: Object.assign({}, ...ps.map((p) => policyRbac(p, action, o))) as Record<string, RbacPolicy> });
  return { ...(enforced.length > 0 && { rules: rulesOf(enforced) }), ...(dryRun.length > 0 && { shadowRules: rulesOf(dryRun) }) };
}

/** istiod's shadowRuleStatPrefix: no shadow rules reads as action ALLOW (proto's zero value), so the allow prefix. */
function shadowStatPrefix(rules: RbacRules | undefined): string | undefined {
  const action = rules?.action ?? 'ALLOW';
  if (action === 'ALLOW') return SHADOW_ALLOW_STAT_PREFIX;
  if (action === 'DENY') return SHADOW_DENY_STAT_PREFIX;
  return undefined;
}

export function httpRbacFilter(b: BuiltRbac): HttpFilter {
  const prefix = shadowStatPrefix(b.shadowRules);
  const config: HttpRbac = {
    '@type': RBAC_TYPE,
    ...(b.rules && { rules: b.rules }),
    ...(b.shadowRules && { shadow_rules: b.shadowRules }),
    ...(prefix !== undefined && { shadow_rules_stat_prefix: prefix }),
  };
  return { name: RBAC_FILTER_NAME, typed_config: config };
}

export function networkRbacFilter(b: BuiltRbac): NetworkFilter {
  const prefix = shadowStatPrefix(b.shadowRules);
  const config: NetworkRbac = {
    '@type': NETWORK_RBAC_TYPE,
    ...(b.rules && { rules: b.rules }),
    stat_prefix: RBAC_TCP_STAT_PREFIX,
    ...(b.shadowRules && { shadow_rules: b.shadowRules }),
    ...(prefix !== undefined && { shadow_rules_stat_prefix: prefix }),
  };
  return { name: NETWORK_RBAC_FILTER_NAME, typed_config: config };
}

type Local = Pick<AuthorizationPoliciesByAction, 'deny' | 'allow' | 'audit'>;

function perAction<F>(byAction: Local, o: Omit<RbacBuildOptions, 'forTCP'>, forTCP: boolean, make: (b: BuiltRbac) => F): F[] {
  const order: [readonly AuthorizationPolicy[], RbacAction][] = [
    [byAction.audit, 'LOG'],
    [byAction.deny, 'DENY'],
    [byAction.allow, 'ALLOW'],
  ];
  return order.flatMap(([ps, action]) => {
    const built = buildRbacRules(ps, action, { ...o, forTCP });
    return built === undefined ? [] : [make(built)];
  });
}

/** The HTTP RBAC filters of the ALLOW/DENY/AUDIT policies (istiod's BuildHTTP): AUDIT, DENY, ALLOW. */
export function rbacHttpFilters(byAction: Local, o: Omit<RbacBuildOptions, 'forTCP'>): HttpFilter[] {
  return perAction(byAction, o, false, httpRbacFilter);
}

/** The network RBAC filters (istiod's BuildTCP): AUDIT, DENY, ALLOW. */
export function rbacTcpFilters(byAction: Local, o: Omit<RbacBuildOptions, 'forTCP'>): NetworkFilter[] {
  return perAction(byAction, o, true, networkRbacFilter);
}

import type { RbacAction, RbacPolicy, RbacRules, Received } from '@trellis/mesh-envoy';
import { compilePermission, compilePrincipal, nonEmpty } from './compile-rules';
import { type Cond, orCond } from './cond';
import { RbacConfigError } from './errors';
import type { RbacDecision, RbacInput } from './input';

/**
 * Envoy's RBAC engine (RoleBasedAccessControlEngineImpl): policies held in name order (a std::map),
 * a policy matches when any permission and any principal match; the first match is the effective
 * policy id. ALLOW: allowed iff a policy matches. DENY: denied iff one matches. LOG: always allowed,
 * `shouldLog` when one matches.
 */
export interface CompiledPolicy {
  readonly name: string;
  readonly permissions: Cond;
  readonly principals: Cond;
  /** How many of each the policy lists (explain words a multi-entry miss differently). */
  readonly permissionCount: number;
  readonly principalCount: number;
}

export interface CompiledRbac {
  readonly action: RbacAction;
  /** Sorted by name. */
  readonly policies: readonly CompiledPolicy[];
}

const ACTIONS: readonly RbacAction[] = ['ALLOW', 'DENY', 'LOG'];

function actionOf(resource: string, raw: unknown): RbacAction {
  if (raw === undefined || raw === null) return 'ALLOW';
  const action = typeof raw === 'number' ? ACTIONS[raw] : ACTIONS.find((a) => a === raw);
  if (action === undefined) throw new RbacConfigError('', `unknown action ${JSON.stringify(raw)}`, resource);
  return action;
}

function compilePolicy(name: string, p: RbacPolicy | undefined): CompiledPolicy {
  const permissions = nonEmpty(name, 'permissions', p?.permissions).map((x) => compilePermission(name, x));
  const principals = nonEmpty(name, 'principals', p?.principals).map((x) => compilePrincipal(name, x));
  return {
    name,
    permissions: orCond(permissions),
    principals: orCond(principals),
    permissionCount: permissions.length,
    principalCount: principals.length,
  };
}

/**
 * Compile `rules` once (throws RbacConfigError naming `resource` and the policy). Takes the read-only
 * view the proxy and CLI hold (`Received`); the compiler only reads it.
 */
export function compileRbac(resource: string, received: Received<RbacRules> | RbacRules | undefined): CompiledRbac {
  const rules = received as RbacRules | undefined;
  const action = actionOf(resource, rules?.action);
  const names = Object.keys(rules?.policies ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  try {
    return { action, policies: names.map((n) => compilePolicy(n, rules?.policies?.[n])) };
  } catch (err) {
    if (err instanceof RbacConfigError) throw new RbacConfigError(err.policy, err.reason, resource);
    throw err;
  }
}

/** The first policy, in name order, that matches; undefined when none does. */
export function matchingPolicy(rbac: CompiledRbac, input: RbacInput): string | undefined {
  const policies = rbac.policies;
  for (let k = 0; k < policies.length; k++) {
    const p = policies[k];
    if (p.permissions.test(input) && p.principals.test(input)) return p.name;
  }
  return undefined;
}

const DECISIONS = {
  ALLOW_NONE: { allowed: false, matchedPolicy: undefined, shouldLog: false },
  DENY_NONE: { allowed: true, matchedPolicy: undefined, shouldLog: false },
} as const;

/** The decision for one request or connection. Allocates only when a policy matched. */
export function evaluate(rbac: CompiledRbac, input: RbacInput): RbacDecision {
  const matched = matchingPolicy(rbac, input);
  if (matched === undefined) return rbac.action === 'ALLOW' ? DECISIONS.ALLOW_NONE : DECISIONS.DENY_NONE;
  if (rbac.action === 'ALLOW') return { allowed: true, matchedPolicy: matched, shouldLog: false };
  if (rbac.action === 'DENY') return { allowed: false, matchedPolicy: matched, shouldLog: false };
  return { allowed: true, matchedPolicy: matched, shouldLog: true };
}

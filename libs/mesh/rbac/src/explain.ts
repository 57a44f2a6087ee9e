import type { RbacAction } from '@trellis/mesh-envoy';
import type { CompiledPolicy, CompiledRbac } from './engine';
import { evaluate } from './engine';
import type { RbacDecision, RbacInput } from './input';

/** One policy's verdict for `trellis x authz check`: matched, or the first condition that failed. */
export interface PolicyExplanation {
  readonly name: string;
  readonly matched: boolean;
  /** Why it did not match (absent when it matched): `method POST not in [GET]`. */
  readonly reason?: string;
}

export interface RbacExplanation extends RbacDecision {
  readonly action: RbacAction;
  /** Every policy in name order (Envoy's evaluation order). */
  readonly policies: readonly PolicyExplanation[];
}

function explainPolicy(p: CompiledPolicy, input: RbacInput): PolicyExplanation {
  if (!p.permissions.test(input)) return { name: p.name, matched: false, reason: p.permissions.why(input) };
  if (!p.principals.test(input)) return { name: p.name, matched: false, reason: p.principals.why(input) };
  return { name: p.name, matched: true };
}

/**
 * The decision `evaluate` makes, with each policy explained: permissions are checked before
 * principals, as Envoy does, so a policy failing both reports its permission.
 */
export function explain(rbac: CompiledRbac, input: RbacInput): RbacExplanation {
  return { ...evaluate(rbac, input), action: rbac.action, policies: rbac.policies.map((p) => explainPolicy(p, input)) };
}

/**
 * istiod's RBAC policy names (`ns[default]-policy[details-viewer]-rule[0]`, CUSTOM's
 * `istio-ext-authz-<provider>-ns[…]-policy[…]-rule[…]`) read back as the AuthorizationPolicy a user
 * wrote: `details-viewer.default rule[0]`. Names of another shape are shown as they are.
 */
const POLICY_NAME = /ns\[([^\]]*)\]-policy\[([^\]]*)\]-rule\[(\d+)\]$/;

export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
  readonly rule: number;
}

export function parsePolicyName(rbacName: string): PolicyRef | undefined {
  const m = POLICY_NAME.exec(rbacName);
  return m === null ? undefined : { namespace: m[1] ?? '', name: m[2] ?? '', rule: Number(m[3]) };
}

export function describePolicyName(rbacName: string): string {
  const ref = parsePolicyName(rbacName);
  return ref === undefined ? rbacName : `${ref.name}.${ref.namespace} rule[${ref.rule}]`;
}

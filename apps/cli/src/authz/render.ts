import type { RbacExplanation } from '@trellis/mesh-rbac';
import type { CheckStep, CheckVerdict } from './check-types';
import { describePolicyName } from './policy-name';

/**
 * `trellis x authz check` as text: the verdict first (what the client gets), then who decided and the
 * near misses (each policy that did not match and the first condition that failed), then every
 * security filter the request passed, in the proxy's order.
 */
const ACTIONS: Readonly<Record<string, string>> = { ALLOW: 'ALLOW', DENY: 'DENY', LOG: 'AUDIT' };

function rbacLabel(step: Extract<CheckStep, { kind: 'rbac' }>): string {
  const action = ACTIONS[step.explanation.action] ?? step.explanation.action;
  if (step.filter.startsWith('envoy.filters.http.rbac') && step.shadow && step.explanation.policies.some((p) => p.name.startsWith('istio-ext-authz'))) return `${step.filter} (CUSTOM, shadow)`;
  return `${step.filter} (${action}${step.shadow ? ', dry-run' : ''})`;
}

function misses(e: RbacExplanation): string[] {
  return e.policies.filter((p) => !p.matched).map((p) => `    ✗ ${describePolicyName(p.name)}: ${p.reason ?? 'did not match'}`);
}

function rbacSummary(step: Extract<CheckStep, { kind: 'rbac' }>): string {
  const e = step.explanation;
  const matched = e.matchedPolicy === undefined ? undefined : describePolicyName(e.matchedPolicy);
  if (e.action === 'DENY') return matched === undefined ? 'no DENY policy matched' : `DENY policy ${matched} matched`;
  if (e.action === 'LOG') return matched === undefined ? 'no AUDIT policy matched' : `AUDIT policy ${matched} matched (logged, not enforced)`;
  if (matched !== undefined) return `ALLOW policy ${matched} matched`;
  return e.policies.length === 0 ? 'no ALLOW policy (none to match)' : 'no ALLOW policy matched, so the request is denied';
}

function jwtSummary(step: Extract<CheckStep, { kind: 'jwt_authn' }>): string {
  const o = step.outcome;
  if (o.outcome === 'ok') {
    const claims = Object.values(o.payloads)[0];
    return `token verified (iss ${String(claims?.['iss'] ?? '?')}, sub ${String(claims?.['sub'] ?? '?')})`;
  }
  if (o.outcome === 'missing') return 'no token (passes; authorization decides)';
  return `rejected: ${o.status ?? 401} ${o.message ?? ''}`;
}

export function stepLine(step: CheckStep): string {
  if (step.kind === 'jwt_authn') return `${step.filter}: ${jwtSummary(step)}`;
  if (step.kind === 'ext_authz') return `${step.filter}: ${step.enabled ? `asks the external authorizer ${step.authorizer}` : 'not enabled for this request (no CUSTOM rule matched)'}`;
  return `${rbacLabel(step)}: ${rbacSummary(step)}`;
}

/** For an allowed request: the ALLOW policy that let it through, if an ALLOW filter decided. */
function allowedBy(v: CheckVerdict): string[] {
  const allow = v.steps.find((s): s is Extract<CheckStep, { kind: 'rbac' }> => s.kind === 'rbac' && !s.shadow && s.explanation.action === 'ALLOW');
  const matched = allow?.explanation.matchedPolicy;
  if (matched !== undefined) return [`  allowed by ALLOW policy ${describePolicyName(matched)}`];
  return [v.steps.length === 0 ? '  no authorization applies to this workload' : '  no security filter rejected it: the request reaches the router'];
}

function decidedLines(v: CheckVerdict): string[] {
  const step = v.decidedBy;
  if (step === undefined) return allowedBy(v);
  const lines = [`  decided by ${stepLine(step)}`];
  if (step.kind === 'rbac' && step.explanation.action === 'ALLOW') lines.push(...misses(step.explanation));
  if (step.kind === 'ext_authz') lines.push('  (the external authorizer is not asked by this check: its answer decides)');
  return lines;
}

export function verdictHeadline(v: CheckVerdict): string {
  if (v.decision === 'DENIED') return `DENIED: ${v.status ?? 403} ${v.body ?? ''}`.trimEnd();
  if (v.decision === 'CUSTOM') return 'CUSTOM: an external authorizer decides';
  return 'ALLOWED';
}

export function renderVerdict(header: readonly string[], v: CheckVerdict): string[] {
  const steps = v.steps.length === 0 ? ['  (no security filters on this chain: nothing is enforced)'] : v.steps.map((s, i) => `  ${i + 1}. ${stepLine(s)}`);
  const nearMisses = v.decision === 'ALLOWED' ? [] : v.steps
    .filter((s): s is Extract<CheckStep, { kind: 'rbac' }> => s.kind === 'rbac' && s !== v.decidedBy && s.explanation.action === 'ALLOW')
    .flatMap((s) => misses(s.explanation));
  return [
    ...header,
    '',
    verdictHeadline(v),
    ...decidedLines(v),
    ...(nearMisses.length > 0 ? ['  near misses:', ...nearMisses] : []),
    '',
    'Security filters, in order:',
    ...steps,
  ];
}

import type { HTTPPathMatch, HTTPRouteRule, HTTPRouteSpec, ParentReference } from '../types';
import type { FieldProblem } from '../validation/ajv-errors';
import { gatewayDurationMs } from './duration';
import { backendFilterProblems, backendPortProblems, filterListProblems, usesPrefixReplace } from './validate-route-filters';

/** HTTPRoute's CEL rules of the upstream CRD (standard channel), with upstream's messages. */

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

function pathProblems(p: HTTPPathMatch | undefined, at: string): FieldProblem[] {
  if (p === undefined) return [];
  const type = p.type ?? 'PathPrefix';
  const value = p.value ?? '/';
  if (type === 'RegularExpression') return validRegex(value) ? [] : [{ path: `${at}.value`, message: `invalid regular expression ${JSON.stringify(value)}` }];
  const where = " when type one of ['Exact', 'PathPrefix']";
  const problem = (message: string): FieldProblem[] => [{ path: `${at}.value`, message }];
  if (!value.startsWith('/')) return problem(`value must be an absolute path and start with '/'${where}`);
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(bad)) return problem(`must not contain '${bad}'${where}`);
  for (const end of ['/..', '/.']) if (value.endsWith(end)) return problem(`must not end with '${end}'${where}`);
  if (!PATH_CHARS.test(value)) return problem(`must only contain valid characters (matching ${PATH_CHARS.source}) for types ['Exact', 'PathPrefix']`);
  return [];
}

function validRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

function timeoutProblems(rule: HTTPRouteRule, at: string): FieldProblem[] {
  const request = rule.timeouts?.request === undefined ? undefined : gatewayDurationMs(rule.timeouts.request);
  const backend = rule.timeouts?.backendRequest === undefined ? undefined : gatewayDurationMs(rule.timeouts.backendRequest);
  if (request === undefined || backend === undefined || request === 0 || backend <= request) return [];
  return [{ path: `${at}.timeouts`, message: 'backendRequest timeout cannot be longer than request timeout' }];
}

function prefixReplaceProblems(rule: HTTPRouteRule, at: string): FieldProblem[] {
  const onePrefix = (rule.matches ?? []).length === 1 && (rule.matches?.[0]?.path?.type ?? 'PathPrefix') === 'PathPrefix' && rule.matches?.[0]?.path !== undefined;
  if (onePrefix) return [];
  const out: FieldProblem[] = [];
  for (const t of ['RequestRedirect', 'URLRewrite'] as const) {
    if (usesPrefixReplace(rule.filters, t)) out.push({ path: at, message: `When using ${t} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified` });
    if ((rule.backendRefs ?? []).some((b) => usesPrefixReplace(b.filters, t))) {
      out.push({ path: at, message: `Within backendRefs, when using ${t} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified` });
    }
  }
  return out;
}

function ruleProblems(rule: HTTPRouteRule, at: string): FieldProblem[] {
  const redirect = (rule.filters ?? []).some((f) => f.type === 'RequestRedirect');
  return [
    ...(rule.matches ?? []).flatMap((m, i) => pathProblems(m.path, `${at}.matches[${i}].path`)),
    ...filterListProblems(rule.filters, `${at}.filters`),
    ...backendPortProblems(rule.backendRefs, `${at}.backendRefs`),
    ...backendFilterProblems(rule.backendRefs, `${at}.backendRefs`),
    ...(rule.filters ?? []).flatMap((f, i) => (f.requestMirror !== undefined ? backendPortProblems([f.requestMirror.backendRef], `${at}.filters[${i}].requestMirror.backendRef`) : [])),
    ...(redirect && (rule.backendRefs ?? []).length > 0 ? [{ path: at, message: 'RequestRedirect filter must not be used together with backendRefs' }] : []),
    ...timeoutProblems(rule, at),
    ...prefixReplaceProblems(rule, at),
  ];
}

/** Two references to one parent must each name a distinct section (sectionName / port). */
function parentRefProblems(refs: readonly ParentReference[] | undefined): FieldProblem[] {
  const seen = new Map<string, ParentReference>();
  const out: FieldProblem[] = [];
  (refs ?? []).forEach((r, i) => {
    const parent = `${r.group ?? 'gateway.networking.k8s.io'}/${r.kind ?? 'Gateway'}/${r.namespace ?? ''}/${r.name}`;
    const previous = seen.get(parent);
    if (previous !== undefined && (previous.sectionName ?? '') === (r.sectionName ?? '') && previous.port === r.port) {
      out.push({ path: `spec.parentRefs[${i}]`, message: 'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent' });
    }
    seen.set(parent, r);
  });
  return out;
}

export function checkHttpRoute(spec: HTTPRouteSpec): FieldProblem[] {
  const rules = spec.rules ?? [];
  const matches = rules.reduce((n, r) => n + (r.matches ?? []).length, 0);
  return [
    ...parentRefProblems(spec.parentRefs),
    ...rules.flatMap((r, i) => ruleProblems(r, `spec.rules[${i}]`)),
    ...(matches >= 128 ? [{ path: 'spec.rules', message: 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128' }] : []),
  ];
}

import type { EnvoyFilterApplyTo, EnvoyFilterConfigPatch, EnvoyFilterObjectMatch, EnvoyFilterOperation, EnvoyFilterPatchContext } from '../types/envoy-filter';
import type { FieldProblem } from '../validation/ajv-errors';
import { CLUSTER, HCM_FILTER_NAME, HTTP_FILTER, HTTP_ROUTE_MERGE, VIRTUAL_HOST_MERGE } from './messages';
import { normalizeValue } from './normalize';
import type { Shape } from './shape';

/**
 * The EnvoyFilter patches Trellis applies — the ones Istio's rate-limit tasks use — and how each is
 * checked. Anything else is rejected when the object is validated (naming the patch index and the
 * field), so a patch is either applied as istiod applies it or never accepted.
 */
export type AppliedKind = 'HTTP_FILTER' | 'CLUSTER' | 'VIRTUAL_HOST' | 'HTTP_ROUTE';

/** A patch that passed validation, its value normalised for the xDS encoder. */
export interface SupportedPatch {
  readonly index: number;
  readonly applyTo: AppliedKind;
  readonly operation: EnvoyFilterOperation;
  readonly context: EnvoyFilterPatchContext;
  readonly match: EnvoyFilterObjectMatch;
  readonly value: Readonly<Record<string, unknown>>;
}

interface Rule {
  readonly operations: readonly EnvoyFilterOperation[];
  readonly value: Shape;
  /** The match section that may be given (the others are for other object classes). */
  readonly match: 'listener' | 'routeConfiguration' | 'cluster';
}

const RULES: Readonly<Record<AppliedKind, Rule>> = {
  HTTP_FILTER: { operations: ['INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'ADD', 'MERGE', 'REPLACE', 'REMOVE'], value: HTTP_FILTER, match: 'listener' },
  CLUSTER: { operations: ['ADD'], value: CLUSTER, match: 'cluster' },
  VIRTUAL_HOST: { operations: ['MERGE'], value: VIRTUAL_HOST_MERGE, match: 'routeConfiguration' },
  HTTP_ROUTE: { operations: ['MERGE'], value: HTTP_ROUTE_MERGE, match: 'routeConfiguration' },
};

export const SUPPORTED_PATCHES = Object.entries(RULES)
  .map(([applyTo, r]) => `${applyTo} ${r.operations.join('|')}`)
  .join('; ');

const isApplied = (a: EnvoyFilterApplyTo | undefined): a is AppliedKind => a !== undefined && a in RULES;

function matchProblems(rule: Rule, applyTo: AppliedKind, match: EnvoyFilterObjectMatch, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const section of ['listener', 'routeConfiguration', 'cluster'] as const) {
    if (match[section] !== undefined && section !== rule.match) out.push({ path: `${at}.match.${section}`, message: `applyTo ${applyTo} takes a ${rule.match} match, not ${section}` });
  }
  if (match.proxy !== undefined) out.push({ path: `${at}.match.proxy`, message: 'proxy version/metadata matches are not applied by Trellis' });
  const filterName = match.listener?.filterChain?.filter?.name;
  if (filterName !== undefined && filterName !== HCM_FILTER_NAME) {
    out.push({ path: `${at}.match.listener.filterChain.filter.name`, message: `only ${HCM_FILTER_NAME} is patched by Trellis (got ${filterName})` });
  }
  const rc = match.routeConfiguration;
  if (rc?.gateway !== undefined) out.push({ path: `${at}.match.routeConfiguration.gateway`, message: 'gateway matches are not applied by Trellis: select the gateway with workloadSelector' });
  if (rc?.portName !== undefined || match.listener?.portName !== undefined) out.push({ path: `${at}.match`, message: 'portName is deprecated and not applied by Trellis: use portNumber' });
  if (match.listener?.listenerFilter !== undefined) out.push({ path: `${at}.match.listener.listenerFilter`, message: 'listener filter matches are not applied by Trellis' });
  return out;
}

function valueProblems(rule: Rule, operation: EnvoyFilterOperation, raw: Record<string, unknown> | undefined, at: string): { value: Record<string, unknown>; problems: FieldProblem[] } {
  if (operation === 'REMOVE') return { value: {}, problems: [] };
  if (raw === undefined) return { value: {}, problems: [{ path: `${at}.patch.value`, message: 'Envoy filter: missing patch value for non-remove operation' }] };
  const n = normalizeValue(rule.value, raw, `${at}.patch.value`);
  const value = (n.value ?? {}) as Record<string, unknown>;
  const problems = [...n.problems];
  const inserts = operation !== 'MERGE';
  if (inserts && rule.value === HTTP_FILTER && (value['name'] === undefined || value['typed_config'] === undefined)) {
    problems.push({ path: `${at}.patch.value`, message: `${operation} of an HTTP filter needs name and typed_config` });
  }
  return { value, problems };
}

/** One configPatches entry: its problems, or the patch as Trellis applies it. */
export function checkEnvoyFilterPatch(p: EnvoyFilterConfigPatch, index: number): { problems: FieldProblem[]; patch?: SupportedPatch } {
  const at = `spec.configPatches[${index}]`;
  if (p.applyTo === undefined || p.applyTo === 'INVALID') return { problems: [{ path: `${at}.applyTo`, message: 'Envoy filter: missing applyTo' }] };
  if (!isApplied(p.applyTo)) return { problems: [{ path: `${at}.applyTo`, message: `applyTo ${p.applyTo} is not applied by Trellis (supported: ${SUPPORTED_PATCHES})` }] };
  const rule = RULES[p.applyTo];
  const operation = p.patch?.operation;
  if (p.patch === undefined) return { problems: [{ path: `${at}.patch`, message: 'Envoy filter: missing patch' }] };
  if (operation === undefined || operation === 'INVALID') return { problems: [{ path: `${at}.patch.operation`, message: 'Envoy filter: missing patch operation' }] };
  if (!rule.operations.includes(operation)) {
    return { problems: [{ path: `${at}.patch.operation`, message: `${p.applyTo} ${operation} is not applied by Trellis (supported: ${SUPPORTED_PATCHES})` }] };
  }
  const problems = matchProblems(rule, p.applyTo, p.match ?? {}, at);
  if (p.patch.filterClass !== undefined && p.patch.filterClass !== 'UNSPECIFIED') problems.push({ path: `${at}.patch.filterClass`, message: 'filterClass is not applied by Trellis: place the filter with INSERT_BEFORE/INSERT_AFTER' });
  const v = valueProblems(rule, operation, p.patch.value, at);
  problems.push(...v.problems);
  if (problems.length > 0) return { problems };
  return { problems, patch: { index, applyTo: p.applyTo, operation, context: p.match?.context ?? 'ANY', match: p.match ?? {}, value: v.value } };
}

import type { HTTPBackendRef, HTTPPathModifier, HTTPRouteFilter } from '../types';
import type { FieldProblem } from '../validation/ajv-errors';

/** HTTPRoute filter CEL rules of the upstream CRD, with its messages. */

const FIELD_OF: Record<HTTPRouteFilter['type'], keyof HTTPRouteFilter | undefined> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: undefined,
};

function pathModifierProblems(p: HTTPPathModifier | undefined, at: string): FieldProblem[] {
  if (p === undefined) return [];
  const out: FieldProblem[] = [];
  if (p.type === 'ReplaceFullPath' && p.replaceFullPath === undefined) out.push({ path: at, message: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'" });
  if (p.type !== 'ReplaceFullPath' && p.replaceFullPath !== undefined) out.push({ path: at, message: "type must be 'ReplaceFullPath' when replaceFullPath is set" });
  if (p.type === 'ReplacePrefixMatch' && p.replacePrefixMatch === undefined) out.push({ path: at, message: "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'" });
  if (p.type !== 'ReplacePrefixMatch' && p.replacePrefixMatch !== undefined) out.push({ path: at, message: "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set" });
  return out;
}

function filterProblems(f: HTTPRouteFilter, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [type, field] of Object.entries(FIELD_OF)) {
    if (field === undefined) continue;
    const present = f[field] !== undefined;
    if (f.type === type && !present) out.push({ path: at, message: `filter.${field} must be specified for ${type} filter.type` });
    if (f.type !== type && present) out.push({ path: `${at}.${field}`, message: `filter.${field} must be nil if the filter.type is not ${type}` });
  }
  out.push(...pathModifierProblems(f.requestRedirect?.path, `${at}.requestRedirect.path`), ...pathModifierProblems(f.urlRewrite?.path, `${at}.urlRewrite.path`));
  const m = f.requestMirror;
  if (m?.percent !== undefined && m.fraction !== undefined) out.push({ path: `${at}.requestMirror`, message: 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter' });
  if (m?.fraction !== undefined && m.fraction.numerator > (m.fraction.denominator ?? 100)) {
    out.push({ path: `${at}.requestMirror.fraction`, message: 'numerator must be less than or equal to denominator' });
  }
  return out;
}

/** The rules on one list of filters (a rule's or a backendRef's). */
export function filterListProblems(filters: readonly HTTPRouteFilter[] | undefined, at: string): FieldProblem[] {
  const list = filters ?? [];
  const out = list.flatMap((f, i) => filterProblems(f, `${at}[${i}]`));
  const count = (t: HTTPRouteFilter['type']): number => list.filter((f) => f.type === t).length;
  for (const t of ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'] as const) {
    if (count(t) > 1) out.push({ path: at, message: `${t} filter cannot be repeated` });
  }
  if (count('RequestRedirect') > 0 && count('URLRewrite') > 0) {
    out.push({ path: at, message: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both' });
  }
  return out;
}

/** A Service backend (core group) needs a port. */
export function backendPortProblems(refs: readonly { group?: string; kind?: string; port?: number }[] | undefined, at: string): FieldProblem[] {
  return (refs ?? []).flatMap((r, i) =>
    (r.group ?? '') === '' && (r.kind ?? 'Service') === 'Service' && r.port === undefined ? [{ path: `${at}[${i}]`, message: 'Must have port for Service reference' }] : [],
  );
}

export function usesPrefixReplace(filters: readonly HTTPRouteFilter[] | undefined, type: 'RequestRedirect' | 'URLRewrite'): boolean {
  return (filters ?? []).some((f) => f.type === type && (type === 'URLRewrite' ? f.urlRewrite : f.requestRedirect)?.path?.type === 'ReplacePrefixMatch');
}

export function backendFilterProblems(refs: readonly HTTPBackendRef[] | undefined, at: string): FieldProblem[] {
  return (refs ?? []).flatMap((r, i) => [
    ...filterListProblems(r.filters, `${at}[${i}].filters`),
    ...(r.filters?.[0]?.requestMirror !== undefined ? backendPortProblems([r.filters[0].requestMirror.backendRef], `${at}[${i}].filters[0].requestMirror.backendRef`) : []),
  ]);
}

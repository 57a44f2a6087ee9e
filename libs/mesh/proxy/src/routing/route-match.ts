import type { RouteMatch } from '../config/envoy-types';
import { compileRegex, invalid } from '../config/proto';
import { type RequestView, headerValue, pathOnly, queryParam } from './request-view';
import {
  type CompiledHeaderMatcher,
  type StringTest,
  compileHeaderMatcher,
  compileStringMatcher,
  headerMatches,
} from './string-matcher';

interface QueryMatcher {
  readonly name: string;
  readonly test: StringTest | undefined;
}

/** A route's match, compiled once per RDS update. */
export interface CompiledRouteMatch {
  readonly kind: 'prefix' | 'path' | 'regex';
  readonly value: string;
  readonly regex: RegExp | undefined;
  readonly caseSensitive: boolean;
  readonly headers: readonly CompiledHeaderMatcher[];
  readonly query: readonly QueryMatcher[];
}

export function compileRouteMatch(resource: string, m: RouteMatch | undefined): CompiledRouteMatch {
  if (m === undefined) throw invalid(resource, 'route without match');
  const caseSensitive = m.case_sensitive?.value !== false;
  const headers = (m.headers ?? []).map((h) => compileHeaderMatcher(resource, h));
  const query = (m.query_parameters ?? []).map((q) => {
    if (typeof q.name !== 'string' || q.name === '') throw invalid(resource, 'query_parameters entry without name');
    const test = q.string_match ? compileStringMatcher(`${resource} query ${q.name}`, q.string_match) : undefined;
    return { name: q.name, test };
  });
  const base = { headers, query, caseSensitive };
  if (typeof m.prefix === 'string') {
    return { ...base, kind: 'prefix', value: caseSensitive ? m.prefix : m.prefix.toLowerCase(), regex: undefined };
  }
  if (typeof m.path === 'string') {
    return { ...base, kind: 'path', value: caseSensitive ? m.path : m.path.toLowerCase(), regex: undefined };
  }
  if (m.safe_regex !== undefined) {
    const regex = compileRegex(resource, m.safe_regex.regex, caseSensitive ? '' : 'i');
    return { ...base, kind: 'regex', value: '', regex };
  }
  throw invalid(resource, 'route match needs prefix, path or safe_regex');
}

function pathMatches(m: CompiledRouteMatch, view: RequestView): boolean {
  const raw = pathOnly(view);
  if (m.regex !== undefined) return m.regex.test(raw);
  const path = m.caseSensitive ? raw : raw.toLowerCase();
  return m.kind === 'prefix' ? path.startsWith(m.value) : path === m.value;
}

export function routeMatches(m: CompiledRouteMatch, view: RequestView): boolean {
  if (!pathMatches(m, view)) return false;
  for (let i = 0; i < m.headers.length; i++) {
    const h = m.headers[i];
    if (!headerMatches(h, headerValue(view, h.name))) return false;
  }
  for (let i = 0; i < m.query.length; i++) {
    const q = m.query[i];
    const v = queryParam(view, q.name);
    if (v === undefined || (q.test !== undefined && !q.test(v))) return false;
  }
  return true;
}

import { headerStringMatcher } from '@trellis/mesh-rbac';
import type { HeaderMatcher, RouteMatch, StringMatcher } from '../config/envoy-types';
import type { CompiledRouteMatch } from './route-match';

/** A StringMatcher in one phrase: `exact "jason"`, `prefix "/api"`, `regex "^v[0-9]$"` (+ ignore-case). */
function stringPhrase(m: StringMatcher | undefined): string {
  if (m === undefined) return 'present';
  const ic = m.ignore_case === true ? ' (ignore case)' : '';
  if (m.exact !== undefined) return `exact ${JSON.stringify(m.exact)}${ic}`;
  if (m.prefix !== undefined) return `prefix ${JSON.stringify(m.prefix)}${ic}`;
  if (m.suffix !== undefined) return `suffix ${JSON.stringify(m.suffix)}${ic}`;
  if (m.contains !== undefined) return `contains ${JSON.stringify(m.contains)}${ic}`;
  if (m.safe_regex !== undefined) return `regex ${JSON.stringify(m.safe_regex.regex ?? '')}`;
  return 'present';
}

function headerPhrase(h: HeaderMatcher): string {
  const name = h.name ?? '';
  const sm = headerStringMatcher(h);
  const what = h.present_match === false && sm === undefined ? 'absent' : stringPhrase(sm);
  return `header ${name} ${h.invert_match === true ? 'not ' : ''}${what}`;
}

/** A RouteMatch as configured, in one line: `prefix "/" · header end-user exact "jason"`. */
export function summarizeRouteMatch(m: RouteMatch | undefined): string {
  if (m === undefined) return '(no match)';
  let path: string;
  if (m.prefix !== undefined) path = `prefix ${JSON.stringify(m.prefix)}`;
  else if (m.path !== undefined) path = `path ${JSON.stringify(m.path)}`;
  else if (m.safe_regex !== undefined) path = `regex ${JSON.stringify(m.safe_regex.regex ?? '')}`;
  else if (m.path_separated_prefix !== undefined) path = `path_separated_prefix ${JSON.stringify(m.path_separated_prefix)}`;
  else path = '(no path match)';
  const parts = [m.case_sensitive?.value === false ? `${path} (case-insensitive)` : path];
  for (const h of m.headers ?? []) parts.push(headerPhrase(h));
  for (const q of m.query_parameters ?? []) parts.push(`query ${q.name ?? ''} ${stringPhrase(q.string_match)}`);
  return parts.join(' · ');
}

/** The compiled match when the raw one is not at hand (inline route tables): path and header names only. */
export function summarizeCompiledMatch(m: CompiledRouteMatch): string {
  const path = m.kind === 'regex' ? `regex ${JSON.stringify(m.regex?.source ?? '')}` : `${m.kind} ${JSON.stringify(m.value)}`;
  return [path, ...m.headers.map((h) => `header ${h.name}`), ...m.query.map((q) => `query ${q.name}`)].join(' · ');
}

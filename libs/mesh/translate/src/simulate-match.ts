import type { HeaderMatcher, RouteMatch, StringMatcher, VirtualHost } from '@trellis/mesh-envoy';

/** Request attributes used for route matching (header names lower-case; pseudo-headers included). */
export interface MatchInput {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

function fullMatch(regex: string, value: string): boolean {
  return new RegExp(`^(?:${regex})$`).test(value);
}

export function stringMatches(m: StringMatcher, value: string): boolean {
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.suffix !== undefined) return value.endsWith(m.suffix);
  if (m.contains !== undefined) return value.includes(m.contains);
  if (m.safe_regex !== undefined) return fullMatch(m.safe_regex.regex ?? '', value);
  return true;
}

function headerMatches(h: HeaderMatcher, headers: Record<string, string>): boolean {
  const value = headers[(h.name ?? '').toLowerCase()];
  let ok: boolean;
  if (h.present_match !== undefined) ok = (value !== undefined) === h.present_match;
  else ok = value !== undefined && (h.string_match === undefined || stringMatches(h.string_match, value));
  return h.invert_match ? !ok : ok;
}

function pathMatches(m: RouteMatch, path: string): boolean {
  const insensitive = m.case_sensitive?.value === false;
  const p = insensitive ? path.toLowerCase() : path;
  if (m.path !== undefined) return p === (insensitive ? m.path.toLowerCase() : m.path);
  if (m.prefix !== undefined) return p.startsWith(insensitive ? m.prefix.toLowerCase() : m.prefix);
  if (m.safe_regex !== undefined) return fullMatch(m.safe_regex.regex ?? '', path);
  return false;
}

/** Envoy route matching: path specifier, then every header matcher, then every query matcher. */
export function routeMatches(m: RouteMatch, input: MatchInput): boolean {
  if (!pathMatches(m, input.path)) return false;
  if (!(m.headers ?? []).every((h) => headerMatches(h, input.headers))) return false;
  return (m.query_parameters ?? []).every((q) => {
    const value = input.query[q.name ?? ''];
    if (q.present_match !== undefined) return (value !== undefined) === q.present_match;
    return value !== undefined && (q.string_match === undefined || stringMatches(q.string_match, value));
  });
}

function longestFirst(a: string, b: string): number {
  return b.length - a.length;
}

/** Envoy virtual host selection: exact domain, then `*suffix` (longest), then `prefix*` (longest), then `*`. */
export function selectVirtualHost(hosts: readonly VirtualHost[], authority: string): VirtualHost | undefined {
  const host = authority.toLowerCase();
  const exact = hosts.find((vh) => (vh.domains ?? []).some((d) => d.toLowerCase() === host));
  if (exact) return exact;
  const candidates = hosts.flatMap((vh) => (vh.domains ?? []).map((d) => ({ vh, d: d.toLowerCase() })));
  const suffix = candidates.filter((c) => c.d.length > 1 && c.d.startsWith('*') && host.endsWith(c.d.slice(1)));
  suffix.sort((a, b) => longestFirst(a.d, b.d));
  if (suffix[0]) return suffix[0].vh;
  const prefix = candidates.filter((c) => c.d.length > 1 && c.d.endsWith('*') && host.startsWith(c.d.slice(0, -1)));
  prefix.sort((a, b) => longestFirst(a.d, b.d));
  if (prefix[0]) return prefix[0].vh;
  return candidates.find((c) => c.d === '*')?.vh;
}

/** `/reviews/0?x=1` → path and query parameters. */
export function splitPath(pathWithQuery: string): { path: string; query: Record<string, string> } {
  const q = pathWithQuery.indexOf('?');
  if (q < 0) return { path: pathWithQuery, query: {} };
  const query: Record<string, string> = {};
  for (const pair of pathWithQuery.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    query[key] = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
  }
  return { path: pathWithQuery.slice(0, q), query };
}

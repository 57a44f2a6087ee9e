import type { HTTPMatchRequest, StringMatch } from '@trellis/mesh-api';
import type { HeaderMatcher, QueryParameterMatcher, RouteMatch, StringMatcher } from '@trellis/mesh-envoy';

/** Istio StringMatch → Envoy StringMatcher; an empty match means "present". */
export function stringMatcher(m: StringMatch | undefined): StringMatcher | undefined {
  if (m?.exact !== undefined) return { exact: m.exact };
  if (m?.prefix !== undefined) return { prefix: m.prefix };
  if (m?.regex !== undefined) return { safe_regex: { regex: m.regex } };
  return undefined;
}

function headerMatcher(name: string, m: StringMatch | undefined, invert: boolean): HeaderMatcher {
  const sm = stringMatcher(m);
  const out: HeaderMatcher = sm ? { name: name.toLowerCase(), string_match: sm } : { name: name.toLowerCase(), present_match: true };
  if (invert) out.invert_match = true;
  return out;
}

function sortedEntries(record: Record<string, StringMatch> | undefined): [string, StringMatch][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function headerMatchers(m: HTTPMatchRequest): HeaderMatcher[] {
  const out = sortedEntries(m.headers).map(([name, sm]) => headerMatcher(name, sm, false));
  out.push(...sortedEntries(m.withoutHeaders).map(([name, sm]) => headerMatcher(name, sm, true)));
  if (m.method) out.push(headerMatcher(':method', m.method, false));
  if (m.authority) out.push(headerMatcher(':authority', m.authority, false));
  if (m.scheme) out.push(headerMatcher(':scheme', m.scheme, false));
  return out;
}

function queryMatchers(m: HTTPMatchRequest): QueryParameterMatcher[] {
  return sortedEntries(m.queryParams).map(([name, sm]) => {
    const string_match = stringMatcher(sm);
    return string_match ? { name, string_match } : { name, present_match: true };
  });
}

function pathSpecifier(uri: StringMatch | undefined): Pick<RouteMatch, 'prefix' | 'path' | 'safe_regex'> {
  if (uri?.exact !== undefined) return { path: uri.exact };
  if (uri?.prefix !== undefined) return { prefix: uri.prefix };
  if (uri?.regex !== undefined) return { safe_regex: { regex: uri.regex } };
  return { prefix: '/' };
}

/** HTTPMatchRequest → RouteMatch (istio core/route/route.go translateRouteMatch). No match = prefix "/". */
export function routeMatch(m: HTTPMatchRequest | undefined): RouteMatch {
  const out: RouteMatch = pathSpecifier(m?.uri);
  if (!m) return out;
  if (m.ignoreUriCase) out.case_sensitive = { value: false };
  const headers = headerMatchers(m);
  if (headers.length > 0) out.headers = headers;
  const query = queryMatchers(m);
  if (query.length > 0) out.query_parameters = query;
  return out;
}

/** A match that catches everything: later HTTP routes are unreachable (Istio stops there). */
export function isCatchAll(match: RouteMatch = {}): boolean {
  const everyPath = match.prefix === '/' || match.safe_regex?.regex === '.*' || match.safe_regex?.regex === '*';
  return everyPath && !match.headers?.length && !match.query_parameters?.length;
}

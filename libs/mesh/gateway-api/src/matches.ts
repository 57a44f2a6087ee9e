import type { HTTPMatchRequest, HTTPRoute as VsRoute, HTTPRouteMatch, HTTPValueMatch, StringMatch } from '@trellis/mesh-api';

/** One Gateway API rule × one of its matches, converted except for the path (which `expandPath` finishes). */
export interface SplitRoute {
  /** The Gateway API match; undefined = the rule has no matches (it matches everything). */
  match?: HTTPRouteMatch;
  route: VsRoute;
  /** URLRewrite path: the replacement of the matched prefix, or of the whole path. */
  rewritePrefix?: string;
  rewriteFullPath?: string;
}

const stringMatch = (m: HTTPValueMatch): StringMatch => ((m.type ?? 'Exact') === 'Exact' ? { exact: m.value } : { regex: m.value });

function valueMatches(list: readonly HTTPValueMatch[] | undefined, lower: boolean): Record<string, StringMatch> | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const out: Record<string, StringMatch> = {};
  for (const m of list) {
    const k = lower ? m.name.toLowerCase() : m.name;
    if (!(k in out)) out[k] = stringMatch(m);
  }
  return out;
}

/** Everything of a match but the path: headers (names case-insensitive), query parameters, method. */
export function nonPathMatch(m: HTTPRouteMatch | undefined): HTTPMatchRequest {
  const headers = valueMatches(m?.headers, true);
  const queryParams = valueMatches(m?.queryParams, false);
  return { ...(headers ? { headers } : {}), ...(queryParams ? { queryParams } : {}), ...(m?.method ? { method: { exact: m.method } } : {}) };
}

/** The path of a match as the spec reads it: absent = PathPrefix `/`; PathPrefix ignores one trailing `/`. */
export function effectivePath(m: HTTPRouteMatch | undefined): { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string } | undefined {
  if (m === undefined) return undefined;
  const type = m.path?.type ?? 'PathPrefix';
  const raw = m.path?.value ?? '/';
  return { type, value: type === 'PathPrefix' && raw !== '/' ? raw.replace(/\/$/, '') : raw };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const withSlash = (s: string): string => (s.endsWith('/') ? s : `${s}/`);

function variant(s: SplitRoute, uri: StringMatch | undefined, rewriteUri: string | undefined, port: number | undefined): VsRoute {
  const match: HTTPMatchRequest = { ...(uri ? { uri } : {}), ...nonPathMatch(s.match), ...(port !== undefined ? { port } : {}) };
  const rewrite = { ...(s.route.rewrite ?? {}), ...(rewriteUri !== undefined ? { uri: rewriteUri } : {}) };
  const out: VsRoute = { ...s.route, ...(Object.keys(match).length > 0 ? { match: [match] } : {}) };
  if (Object.keys(rewrite).length > 0) out.rewrite = rewrite;
  return out;
}

/**
 * The VirtualService routes of one split route. A PathPrefix matches whole path segments (`/static`
 * matches `/static` and `/static/x`, not `/staticx`), which istiod gets from Envoy's
 * path_separated_prefix: here it is an exact route plus a `/static/` prefix route (their prefix
 * rewrites differ), or one regex route when the whole path is rewritten.
 */
export function expandPath(s: SplitRoute, port?: number): VsRoute[] {
  const p = effectivePath(s.match);
  const full = s.rewriteFullPath;
  if (p === undefined) return [variant(s, full !== undefined ? { regex: '.*' } : undefined, full, port)];
  if (p.type !== 'PathPrefix') return [variant(s, p.type === 'Exact' ? { exact: p.value } : { regex: p.value }, full, port)];
  if (full !== undefined) return [variant(s, { regex: p.value === '/' ? '/.*' : `${escapeRegex(p.value)}(/.*)?` }, full, port)];
  const r = s.rewritePrefix;
  if (p.value === '/') return [variant(s, { prefix: '/' }, r === undefined ? undefined : withSlash(r), port)];
  const nested = r === undefined ? undefined : r === '/' ? '/' : withSlash(r.replace(/\/$/, ''));
  return [variant(s, { exact: p.value }, r, port), variant(s, { prefix: `${p.value}/` }, nested, port)];
}

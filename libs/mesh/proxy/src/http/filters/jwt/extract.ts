import type { CompiledProvider } from './provider';

/** What the verifier reads of a request; an Exchange fits, and so does `trellis x authz check`'s input. */
export interface JwtRequest {
  readonly method: string;
  /** Path with query, as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The issuers that name one location (JwtIssuerChecker): a provider without issuer allows all. */
export interface IssuerChecker {
  allowAll: boolean;
  readonly issuers: Set<string>;
}

export function issuerAllowed(c: IssuerChecker, iss: string): boolean {
  return c.allowAll || c.issuers.has(iss);
}

export type LocationKind = 'header' | 'param' | 'cookie';

export interface TokenLocation {
  readonly kind: LocationKind;
  /** Header name (lower case), query parameter or cookie name. */
  readonly name: string;
  /** Headers only: the value prefix (`Bearer `); '' = the whole value. */
  readonly prefix: string;
  readonly issuers: IssuerChecker;
}

export interface ExtractedToken {
  readonly value: string;
  readonly location: TokenLocation;
}

/** The locations of some providers (one for a provider requirement, all for allow_missing[_or_failed]). */
export interface Extractor {
  readonly headers: readonly TokenLocation[];
  readonly params: readonly TokenLocation[];
  readonly cookies: readonly TokenLocation[];
  /** forward_payload_header and claim_to_headers names: removed from the request before verification. */
  readonly sanitize: readonly string[];
}

export const NO_TOKENS: readonly ExtractedToken[] = [];

function add(map: Map<string, TokenLocation>, key: string, loc: Omit<TokenLocation, 'issuers'>, issuer: string): void {
  let l = map.get(key);
  if (l === undefined) map.set(key, (l = { ...loc, issuers: { allowAll: false, issuers: new Set() } }));
  if (issuer === '') l.issuers.allowAll = true;
  else l.issuers.issuers.add(issuer);
}

/** Envoy's ExtractorImpl: locations keyed (and ordered) by name; a provider naming none reads `Authorization: Bearer` and `access_token`. */
export function compileExtractor(providers: readonly CompiledProvider[]): Extractor {
  const headers = new Map<string, TokenLocation>();
  const params = new Map<string, TokenLocation>();
  const cookies = new Map<string, TokenLocation>();
  const sanitize: string[] = [];
  for (const p of providers) {
    const c = p.config;
    for (const h of c.from_headers ?? []) {
      const name = (h.name ?? '').toLowerCase();
      add(headers, name + (h.value_prefix ?? ''), { kind: 'header', name, prefix: h.value_prefix ?? '' }, p.issuer);
    }
    for (const q of c.from_params ?? []) add(params, q, { kind: 'param', name: q, prefix: '' }, p.issuer);
    for (const k of c.from_cookies ?? []) add(cookies, k, { kind: 'cookie', name: k, prefix: '' }, p.issuer);
    if ((c.from_headers ?? []).length === 0 && (c.from_params ?? []).length === 0 && (c.from_cookies ?? []).length === 0) {
      add(headers, 'authorizationBearer ', { kind: 'header', name: 'authorization', prefix: 'Bearer ' }, p.issuer);
      add(params, 'access_token', { kind: 'param', name: 'access_token', prefix: '' }, p.issuer);
    }
    if (p.forwardPayloadHeader !== '') sanitize.push(p.forwardPayloadHeader);
    for (const h of p.claimToHeaders) sanitize.push(h.header);
  }
  const sorted = (m: Map<string, TokenLocation>): TokenLocation[] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l);
  return { headers: sorted(headers), params: sorted(params), cookies: sorted(cookies), sanitize };
}

const JWT_CHARS = /[A-Za-z0-9\-_.]/;

/** ExtractorImpl::extractJWT: from `after`, skip to the first base64url-or-dot character; none = the value as is. */
function afterPrefix(value: string, after: number): string {
  for (let i = after; i < value.length; i++) if (JWT_CHARS.test(value[i])) return value.slice(i);
  return value;
}

function push(out: ExtractedToken[] | undefined, value: string, location: TokenLocation): ExtractedToken[] {
  const list = out ?? [];
  list.push({ value, location });
  return list;
}

function fromHeader(out: ExtractedToken[] | undefined, loc: TokenLocation, raw: string | string[]): ExtractedToken[] | undefined {
  for (const value of typeof raw === 'string' ? [raw] : raw) {
    if (loc.prefix === '') {
      out = push(out, value, loc);
      continue;
    }
    const pos = value.indexOf(loc.prefix);
    if (pos >= 0) out = push(out, afterPrefix(value, pos + loc.prefix.length), loc);
  }
  return out;
}

/** First value of each query parameter, percent-decoded ('+' kept, as Envoy's decoder does). */
export function queryParams(path: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = path.indexOf('?');
  if (q < 0) return out;
  const end = path.indexOf('#', q);
  for (const pair of path.slice(q + 1, end < 0 ? undefined : end).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (!out.has(k)) out.set(k, decode(eq < 0 ? '' : pair.slice(eq + 1)));
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function cookieValues(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of typeof header === 'string' ? [header] : header ?? []) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const k = part.slice(0, eq).trim();
      let v = part.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      if (!out.has(k)) out.set(k, v);
    }
  }
  return out;
}

/**
 * The tokens a request carries in the extractor's locations, headers first (every value), then the
 * first value of each query parameter, then cookies. A request without any allocates nothing.
 */
export function extractTokens(x: Extractor, req: JwtRequest): readonly ExtractedToken[] {
  let out: ExtractedToken[] | undefined;
  for (const loc of x.headers) {
    const raw = req.headers[loc.name];
    if (raw !== undefined) out = fromHeader(out, loc, raw);
  }
  if (x.params.length > 0 && req.path.includes('?')) {
    const q = queryParams(req.path);
    for (const loc of x.params) {
      const v = q.get(loc.name);
      if (v !== undefined) out = push(out, v, loc);
    }
  }
  if (x.cookies.length > 0 && req.headers['cookie'] !== undefined) {
    const c = cookieValues(req.headers['cookie']);
    for (const loc of x.cookies) {
      const v = c.get(loc.name);
      if (v !== undefined) out = push(out, v, loc);
    }
  }
  return out ?? NO_TOKENS;
}

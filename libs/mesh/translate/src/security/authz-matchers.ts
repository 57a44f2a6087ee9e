import { JWT_AUTHN_FILTER_NAME, JWT_PAYLOAD_METADATA_KEY, type HeaderMatcher, type MetadataMatcher, type StringMatcher, type ValueMatcher } from '@trellis/mesh-envoy';

/**
 * The matchers istiod's authorization builder writes (pilot/pkg/security/authz/matcher): Istio's
 * `*` forms become exact / prefix / suffix / presence, hosts ignore case, JWT claims are read from
 * `envoy.filters.http.jwt_authn` → `payload` metadata.
 */

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export const regexMatcher = (regex: string): StringMatcher => ({ safe_regex: { regex } });
const ic = (ignoreCase: boolean): Pick<StringMatcher, 'ignore_case'> => (ignoreCase ? { ignore_case: true } : {});
export const exactMatcher = (exact: string, ignoreCase = false): StringMatcher => ({ exact, ...ic(ignoreCase) });
export const prefixMatcher = (prefix: string, ignoreCase = false): StringMatcher => ({ prefix, ...ic(ignoreCase) });
export const suffixMatcher = (suffix: string, ignoreCase = false): StringMatcher => ({ suffix, ...ic(ignoreCase) });

/** StringMatcherWithPrefix: `*` → `.+`, `*x` → suffix (regex when prefixed), `x*` → prefix, else exact. */
export function stringMatcher(v: string, prefix = ''): StringMatcher {
  if (v === '*') return regexMatcher('.+');
  if (v.startsWith('*')) return prefix === '' ? suffixMatcher(v.slice(1)) : regexMatcher(`${prefix}.*${quoteMeta(v.slice(1))}`);
  if (v.endsWith('*')) return prefixMatcher(prefix + v.slice(0, -1));
  return exactMatcher(prefix + v);
}

function headerLike(name: string, v: string, ignoreCase: boolean): HeaderMatcher {
  if (v === '*') return { name, present_match: true };
  if (v.startsWith('*')) return { name, string_match: suffixMatcher(v.slice(1), ignoreCase) };
  if (v.endsWith('*')) return { name, string_match: prefixMatcher(v.slice(0, -1), ignoreCase) };
  return { name, string_match: exactMatcher(v, ignoreCase) };
}

/** HeaderMatcher: `*` → present, `*x` → suffix, `x*` → prefix, else exact. */
export const headerMatcher = (name: string, v: string): HeaderMatcher => headerLike(name, v, false);
/** HostMatcher: as headerMatcher, ignoring case. */
export const hostMatcher = (name: string, v: string): HeaderMatcher => headerLike(name, v, true);

/** OrMatcher: one matcher as it is, more in `or_match`. */
export function orMatcher(matchers: ValueMatcher[]): ValueMatcher {
  return matchers.length === 1 && matchers[0] !== undefined ? matchers[0] : { or_match: { value_matchers: matchers } };
}

export const stringOrMatcher = (values: readonly string[]): ValueMatcher => orMatcher(values.map((v) => ({ string_match: stringMatcher(v) })));

/** MetadataValueMatcher: `filter` metadata at `keys`. */
export function metadataMatcher(filter: string, keys: readonly string[], value: ValueMatcher): MetadataMatcher {
  return { filter, path: keys.map((key) => ({ key })), value };
}

/** MetadataListValueMatcher: a list containing a match, or (extended JWT) the value itself. */
export function metadataListMatcher(filter: string, keys: readonly string[], value: ValueMatcher, extendedJwt: boolean): MetadataMatcher {
  const list: ValueMatcher = { list_match: { one_of: value } };
  return metadataMatcher(filter, keys, extendedJwt ? { or_match: { value_matchers: [list, value] } } : list);
}

/** A JWT claim (`iss`, `sub`) of the verified payload. */
export const jwtClaimMatcher = (claim: string, m: StringMatcher): MetadataMatcher =>
  metadataMatcher(JWT_AUTHN_FILTER_NAME, [JWT_PAYLOAD_METADATA_KEY, claim], { string_match: m });

/** A (possibly nested, possibly list-valued) claim path of the verified payload. */
export const jwtClaimsListMatcher = (claims: readonly string[], value: ValueMatcher): MetadataMatcher =>
  metadataListMatcher(JWT_AUTHN_FILTER_NAME, [JWT_PAYLOAD_METADATA_KEY, ...claims], value, true);

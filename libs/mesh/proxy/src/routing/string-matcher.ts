import type { HeaderMatcher, StringMatcher } from '../config/envoy-types';
import { compileRegex, invalid } from '../config/proto';

/** A precompiled Envoy StringMatcher: one closure built at apply time, called per request. */
export type StringTest = (value: string) => boolean;

export function compileStringMatcher(resource: string, m: StringMatcher | undefined): StringTest {
  if (m === undefined) throw invalid(resource, 'string matcher missing');
  const ic = m.ignore_case === true;
  const norm = (s: string): string => (ic ? s.toLowerCase() : s);
  if (typeof m.exact === 'string') {
    const want = norm(m.exact);
    return ic ? (v) => v.toLowerCase() === want : (v) => v === want;
  }
  if (typeof m.prefix === 'string') {
    const want = norm(m.prefix);
    return (v) => norm(v).startsWith(want);
  }
  if (typeof m.suffix === 'string') {
    const want = norm(m.suffix);
    return (v) => norm(v).endsWith(want);
  }
  if (typeof m.contains === 'string') {
    const want = norm(m.contains);
    return (v) => norm(v).includes(want);
  }
  if (m.safe_regex !== undefined) {
    const re = compileRegex(resource, m.safe_regex.regex, ic ? 'i' : '');
    return (v) => re.test(v);
  }
  throw invalid(resource, 'string matcher has no exact/prefix/suffix/contains/safe_regex');
}

/** A header matcher: `name` (lower-cased, may be a pseudo-header) plus the test on its value. */
export interface CompiledHeaderMatcher {
  readonly name: string;
  /** undefined = presence match. */
  readonly test: StringTest | undefined;
  readonly present: boolean;
  readonly invert: boolean;
}

export function compileHeaderMatcher(resource: string, h: HeaderMatcher): CompiledHeaderMatcher {
  if (typeof h.name !== 'string' || h.name === '') throw invalid(resource, 'header matcher without name');
  const invert = h.invert_match === true;
  const name = h.name.toLowerCase();
  if (h.present_match !== undefined && h.string_match === undefined) {
    return { name, test: undefined, present: h.present_match, invert };
  }
  const sm: StringMatcher | undefined =
    h.string_match ??
    (h.exact_match !== undefined ? { exact: h.exact_match } : undefined) ??
    (h.prefix_match !== undefined ? { prefix: h.prefix_match } : undefined) ??
    (h.suffix_match !== undefined ? { suffix: h.suffix_match } : undefined) ??
    (h.contains_match !== undefined ? { contains: h.contains_match } : undefined) ??
    (h.safe_regex_match !== undefined ? { safe_regex: h.safe_regex_match } : undefined);
  if (sm === undefined) return { name, test: undefined, present: true, invert };
  return { name, test: compileStringMatcher(`${resource} header ${name}`, sm), present: true, invert };
}

/** Envoy semantics: a missing header fails a value match (before inversion). */
export function headerMatches(m: CompiledHeaderMatcher, value: string | undefined): boolean {
  let ok: boolean;
  if (m.test === undefined) ok = (value !== undefined) === m.present;
  else ok = value !== undefined && m.test(value);
  return m.invert ? !ok : ok;
}

import { RbacConfigError, compileString, headerStringMatcher } from '@trellis/mesh-rbac';
import type { HeaderMatcher, StringMatcher } from '../config/envoy-types';
import { invalid } from '../config/proto';

/** A precompiled Envoy StringMatcher: one closure built at apply time, called per request. */
export type StringTest = (value: string) => boolean;

/**
 * Envoy's StringMatcher (exact | prefix | suffix | contains | safe_regex, ignore_case): the one
 * compiler in `@trellis/mesh-rbac`, its config errors turned into this proxy's NACK for `resource`.
 */
export function compileStringMatcher(resource: string, m: StringMatcher | undefined): StringTest {
  try {
    return compileString(resource, m).test;
  } catch (err) {
    if (err instanceof RbacConfigError) throw invalid(resource, err.reason);
    throw err;
  }
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
  const sm = headerStringMatcher(h);
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

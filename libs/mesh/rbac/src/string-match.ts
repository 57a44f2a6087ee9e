import type { HeaderMatcher, RegexMatcher, StringMatcher } from '@trellis/mesh-envoy';
import { RbacConfigError } from './errors';

/** A StringMatcher compiled once: the test, and how a user reads what it wants. */
export interface CompiledString {
  readonly test: (value: string) => boolean;
  /** Istio-style: `GET`, `/api/*`, `*.example.com`, `*admin*`, `regex(^v[0-9]$)`. */
  readonly text: string;
  /** The literal began with `spiffe://` (istiod adds it to principals); messages strip it. */
  readonly spiffe: boolean;
}

const SPIFFE = 'spiffe://';

/**
 * RE2 as a JS RegExp with full-match anchoring (Envoy's safe_regex matches the whole value). A
 * pattern JS cannot compile is rejected naming the policy.
 */
export function compileRegex(policy: string, m: RegexMatcher | undefined, ignoreCase: boolean): RegExp {
  const pattern = m?.regex;
  if (typeof pattern !== 'string') throw new RbacConfigError(policy, 'safe_regex without regex');
  try {
    return new RegExp(`^(?:${pattern})$`, ignoreCase ? 'i' : '');
  } catch (err) {
    throw new RbacConfigError(policy, `regex ${JSON.stringify(pattern)} cannot be compiled: ${(err as Error).message}`);
  }
}

function literal(m: StringMatcher): { kind: 'exact' | 'prefix' | 'suffix' | 'contains'; value: string } | undefined {
  if (typeof m.exact === 'string') return { kind: 'exact', value: m.exact };
  if (typeof m.prefix === 'string') return { kind: 'prefix', value: m.prefix };
  if (typeof m.suffix === 'string') return { kind: 'suffix', value: m.suffix };
  if (typeof m.contains === 'string') return { kind: 'contains', value: m.contains };
  return undefined;
}

const SHOW = { exact: (v: string) => v, prefix: (v: string) => `${v}*`, suffix: (v: string) => `*${v}`, contains: (v: string) => `*${v}*` };

function literalTest(kind: 'exact' | 'prefix' | 'suffix' | 'contains', want: string, ic: boolean): (v: string) => boolean {
  if (ic) {
    const w = want.toLowerCase();
    if (kind === 'exact') return (v) => v.toLowerCase() === w;
    if (kind === 'prefix') return (v) => v.toLowerCase().startsWith(w);
    if (kind === 'suffix') return (v) => v.toLowerCase().endsWith(w);
    return (v) => v.toLowerCase().includes(w);
  }
  if (kind === 'exact') return (v) => v === want;
  if (kind === 'prefix') return (v) => v.startsWith(want);
  if (kind === 'suffix') return (v) => v.endsWith(want);
  return (v) => v.includes(want);
}

/** envoy.type.matcher.v3.StringMatcher: exact | prefix | suffix | contains | safe_regex, optionally ignore_case. */
export function compileString(policy: string, m: StringMatcher | undefined): CompiledString {
  if (m === undefined || m === null) throw new RbacConfigError(policy, 'string matcher missing');
  const ic = m.ignore_case === true;
  const lit = literal(m);
  if (lit !== undefined) {
    const spiffe = lit.value.startsWith(SPIFFE);
    const shown = spiffe ? lit.value.slice(SPIFFE.length) : lit.value;
    return { test: literalTest(lit.kind, lit.value, ic), text: SHOW[lit.kind](shown), spiffe };
  }
  if (m.safe_regex !== undefined) {
    const re = compileRegex(policy, m.safe_regex, ic);
    return { test: (v) => re.test(v), text: `regex(${m.safe_regex.regex ?? ''})`, spiffe: false };
  }
  throw new RbacConfigError(policy, 'string matcher has none of exact, prefix, suffix, contains, safe_regex');
}

/** A principal as messages show it: without the `spiffe://` istiod's matcher added. */
export function showPrincipal(value: string, strip: boolean): string {
  return strip && value.startsWith(SPIFFE) ? value.slice(SPIFFE.length) : value;
}

/** A HeaderMatcher's value matcher: `string_match` or a legacy `*_match` field; undefined = a presence match. */
export function headerStringMatcher(h: HeaderMatcher): StringMatcher | undefined {
  return (
    h.string_match ??
    (h.exact_match !== undefined ? { exact: h.exact_match } : undefined) ??
    (h.prefix_match !== undefined ? { prefix: h.prefix_match } : undefined) ??
    (h.suffix_match !== undefined ? { suffix: h.suffix_match } : undefined) ??
    (h.contains_match !== undefined ? { contains: h.contains_match } : undefined) ??
    (h.safe_regex_match !== undefined ? { safe_regex: h.safe_regex_match } : undefined)
  );
}

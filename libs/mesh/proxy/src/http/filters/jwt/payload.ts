import type { ParsedJwt } from './parse';
import type { CompiledProvider } from './provider';

/**
 * The payload as written to dynamic metadata: the claims, with `normalize_payload_in_metadata`'s
 * space-delimited claims (istiod: `permission`, `scope`) split into lists when they are strings.
 */
export function payloadOf(p: CompiledProvider, jwt: ParsedJwt): Readonly<Record<string, unknown>> {
  if (p.spaceDelimitedClaims.length === 0) return jwt.payload;
  let out: Record<string, unknown> | undefined;
  for (const claim of p.spaceDelimitedClaims) {
    const v = jwt.payload[claim];
    if (typeof v !== 'string') continue;
    out ??= { ...jwt.payload };
    out[claim] = v.split(' ').filter((s) => s !== '');
  }
  return out ?? jwt.payload;
}

/** A claim by name, nested with dots (`a.b`) as StructUtils::GetValue reads it. */
export function claimValue(payload: Readonly<Record<string, unknown>>, name: string): unknown {
  let v: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** claim_to_headers: strings as they are, integers without a fraction, other numbers as std::to_string does, booleans; else none. */
export function claimHeaderValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) && v >= 0 ? String(v) : v.toFixed(6);
  return undefined;
}

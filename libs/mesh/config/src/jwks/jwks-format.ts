/**
 * istiod's validateJWKSFormat and compareJWKSResponse (pilot/pkg/model/jwks_resolver.go): a fetched
 * body is used only when it is a JSON object with a `keys` array, so an arbitrary page (an error page,
 * an SSRF'd internal endpoint) is never inlined into proxies' config; a refresh that returns the same
 * keys in another order (or formatting) is not a change.
 */

type Jwks = { keys: unknown[] };

function parse(text: string): Jwks | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const keys = (doc as Record<string, unknown>)['keys'];
  return Array.isArray(keys) ? { keys } : undefined;
}

/** Why `text` is not a JWKS, or undefined when it is one. */
export function jwksFormatProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch (e) {
    return `not valid JSON: ${(e as Error).message}`;
  }
  return parse(text) === undefined ? 'missing "keys" array' : undefined;
}

/** A canonical text of the key set: keys (each with sorted fields) sorted. */
function canonical(jwks: Jwks): string {
  const sortFields = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sortFields(x)]))
      : v;
  return JSON.stringify(jwks.keys.map((k) => JSON.stringify(sortFields(k))).sort());
}

/** Whether `next` holds other keys than `previous` (undefined previous: always). */
export function jwksChanged(previous: string | undefined, next: string): boolean {
  if (previous === undefined) return true;
  if (previous === next) return false;
  const a = parse(previous);
  const b = parse(next);
  if (a === undefined || b === undefined) return true;
  return canonical(a) !== canonical(b);
}

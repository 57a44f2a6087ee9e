import type { JWK, KeyLike } from 'jose';
import type { ParsedJwt } from './parse';
import type { JwtStatus } from './status';

/** One usable key of a provider's JWKS, imported through jose on first use (per algorithm). */
export interface Jwk {
  readonly kty: string;
  /** '' = any. */
  readonly kid: string;
  /** '' = any. */
  readonly alg: string;
  readonly jwk: JWK;
  readonly imported: Map<string, Promise<KeyLike | Uint8Array | undefined>>;
}

/**
 * jose is loaded on the first signature check, not at start-up: most sidecars never see a
 * RequestAuthentication, and the module costs a proxy ~1.6 MB of RSS (issue #18's RSS budget).
 */
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = (): Promise<typeof import('jose')> => (jose ??= import('jose'));

const str = (v: unknown): v is string => typeof v === 'string';

/** jwt_verify_lib's per-key checks (`Jwks::createFromJwksCore`): a key that fails them is skipped. */
function usable(k: Record<string, unknown>): boolean {
  const alg = k['alg'];
  if (alg !== undefined && !str(alg)) return false;
  switch (k['kty']) {
    case 'RSA':
      return (alg === undefined || alg.startsWith('RS') || alg.startsWith('PS')) && str(k['n']) && str(k['e']);
    case 'EC':
      return (alg === undefined || alg.startsWith('ES')) && str(k['crv']) && str(k['x']) && str(k['y']);
    case 'oct':
      return (alg === undefined || alg.startsWith('HS')) && str(k['k']);
    case 'OKP':
      return (alg === undefined || alg === 'EdDSA') && k['crv'] === 'Ed25519' && str(k['x']);
    default:
      return false;
  }
}

/**
 * A JWKS (the JSON text istiod inlines in `local_jwks.inline_string`) → its usable keys. Invalid
 * JSON, no `keys` array or no usable key yields none: the filter still builds, and every token that
 * reaches the signature check fails with "Jwks doesn't have any valid public key", as in Envoy
 * (istiod's fail-closed JWKS when it cannot fetch the issuer's keys has a key nobody can sign for).
 */
export function parseJwks(text: string): Jwk[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return [];
  const out: Jwk[] = [];
  for (const k of keys as unknown[]) {
    if (typeof k !== 'object' || k === null || !usable(k as Record<string, unknown>)) continue;
    const r = k as Record<string, unknown>;
    out.push({ kty: r['kty'] as string, kid: str(r['kid']) ? r['kid'] : '', alg: str(r['alg']) ? r['alg'] : '', jwk: r as unknown as JWK, imported: new Map() });
  }
  return out;
}

/** Whether a key of this type can check this algorithm at all (Envoy skips the check otherwise). */
function fits(kty: string, alg: string): boolean {
  if (kty === 'RSA') return alg.startsWith('RS') || alg.startsWith('PS');
  if (kty === 'EC') return alg.startsWith('ES');
  if (kty === 'oct') return alg.startsWith('HS');
  return kty === 'OKP' && alg === 'EdDSA';
}

function importFor(key: Jwk, alg: string): Promise<KeyLike | Uint8Array | undefined> {
  let p = key.imported.get(alg);
  if (p === undefined) {
    p = loadJose()
      .then((j) => j.importJWK({ ...key.jwk, alg }, alg))
      .catch(() => undefined);
    key.imported.set(alg, p);
  }
  return p;
}

async function verifiesWith(jwt: ParsedJwt, key: Jwk): Promise<boolean> {
  const k = await importFor(key, jwt.alg);
  if (k === undefined) return false;
  try {
    await (await loadJose()).compactVerify(jwt.token, k, { algorithms: [jwt.alg] });
    return true;
  } catch {
    return false;
  }
}

/**
 * `verifyJwtWithoutTimeChecking`: the keys whose kid (when both have one) and alg (when the key has
 * one) match are tried in order; none matching is JwksKidAlgMismatch, none verifying
 * JwtVerificationFail. The signature itself is jose's.
 */
export async function verifySignature(jwt: ParsedJwt, keys: readonly Jwk[]): Promise<JwtStatus> {
  if (keys.length === 0) return 'JwksNoValidKeys';
  let matched = false;
  for (const key of keys) {
    if (jwt.kid !== '' && key.kid !== '' && key.kid !== jwt.kid) continue;
    if (key.alg !== '' && key.alg !== jwt.alg) continue;
    matched = true;
    if (fits(key.kty, jwt.alg) && (await verifiesWith(jwt, key))) return 'Ok';
  }
  return matched ? 'JwtVerificationFail' : 'JwksKidAlgMismatch';
}

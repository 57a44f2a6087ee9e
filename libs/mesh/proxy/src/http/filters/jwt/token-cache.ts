import type { ParsedJwt } from './parse';

/** Envoy's `jwt_cache_config` role: at most this many verified tokens per provider. */
export const TOKEN_CACHE_ENTRIES = 1000;
/** Longer tokens are verified every time rather than held (bounds the cache's memory at ~8 MB per provider). */
export const TOKEN_CACHE_MAX_TOKEN_BYTES = 8192;

/** Characters of the token's end (its signature) that key the map; the whole token is compared on a hit. */
const KEY_CHARS = 43;

/**
 * Verified tokens of one provider (Envoy's JwtCache): a hit skips parsing and the signature, never
 * the issuer, time and audience checks. A hit whose `exp` (with the provider's clock skew) has
 * passed is dropped and counts as a miss. Full = the oldest entry goes. Keyed by the signature's
 * last characters, not the whole token: hashing a fresh ~1 KB header string per request cost
 * ~3 µs; the hit is then confirmed by comparing the whole token, so another token with the same
 * tail is a miss, never a false hit.
 */
export class TokenCache {
  private readonly entries = new Map<string, ParsedJwt>();

  constructor(
    private readonly skewSeconds: number,
    private readonly capacity = TOKEN_CACHE_ENTRIES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  lookup(token: string, nowSeconds: number): ParsedJwt | undefined {
    const key = token.slice(-KEY_CHARS);
    const jwt = this.entries.get(key);
    if (jwt === undefined || jwt.token !== token) return undefined;
    if (jwt.exp !== 0 && nowSeconds > jwt.exp + this.skewSeconds) {
      this.entries.delete(key);
      return undefined;
    }
    return jwt;
  }

  insert(jwt: ParsedJwt): void {
    const key = jwt.token.slice(-KEY_CHARS);
    if (jwt.token.length > TOKEN_CACHE_MAX_TOKEN_BYTES || this.entries.has(key)) return;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, jwt);
  }
}

import type { ParsedJwt } from './parse';

/** Envoy's `jwt_cache_config` role: at most this many verified tokens per provider. */
export const TOKEN_CACHE_ENTRIES = 1000;
/** Longer tokens are verified every time rather than held (bounds the cache's memory at ~8 MB per provider). */
export const TOKEN_CACHE_MAX_TOKEN_BYTES = 8192;

/**
 * Verified tokens of one provider by their compact form (Envoy's JwtCache): a hit skips parsing and
 * the signature, never the issuer, time and audience checks. A hit whose `exp` (with the provider's
 * clock skew) has passed is dropped and counts as a miss. Full = the oldest entry goes.
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
    const jwt = this.entries.get(token);
    if (jwt === undefined) return undefined;
    if (jwt.exp !== 0 && nowSeconds > jwt.exp + this.skewSeconds) {
      this.entries.delete(token);
      return undefined;
    }
    return jwt;
  }

  insert(jwt: ParsedJwt): void {
    if (jwt.token.length > TOKEN_CACHE_MAX_TOKEN_BYTES || this.entries.has(jwt.token)) return;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(jwt.token, jwt);
  }
}

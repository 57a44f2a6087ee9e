import type { Clock } from '../../runtime';

/**
 * Envoy's local rate limit token bucket: starts full, gains `tokensPerFill` every `fillIntervalMs`
 * up to `maxTokens`. Refills are computed when a token is asked for (no timer), from the injected
 * monotonic clock, so a test can step time exactly.
 */
export class TokenBucket {
  private tokens: number;
  private lastFill: number;

  constructor(
    private readonly maxTokens: number,
    private readonly tokensPerFill: number,
    private readonly fillIntervalMs: number,
    private readonly clock: Clock,
  ) {
    this.tokens = maxTokens;
    this.lastFill = clock.monotonic();
  }

  /** Take one token; false when the bucket is empty. */
  consume(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  remaining(): number {
    this.refill();
    return this.tokens;
  }

  /** The bucket's size (Envoy's x-ratelimit-limit). */
  get max(): number {
    return this.maxTokens;
  }

  /** Whole seconds until the next fill, as Envoy's remainingFillInterval: interval − elapsed, truncated. */
  secondsToNextFill(): number {
    this.refill();
    return Math.trunc(this.fillIntervalMs / 1000) - Math.trunc((this.clock.monotonic() - this.lastFill) / 1000);
  }

  private refill(): void {
    const fills = Math.floor((this.clock.monotonic() - this.lastFill) / this.fillIntervalMs);
    if (fills <= 0) return;
    this.lastFill += fills * this.fillIntervalMs;
    this.tokens = Math.min(this.maxTokens, this.tokens + fills * this.tokensPerFill);
  }
}

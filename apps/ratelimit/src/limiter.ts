import type { DomainConfig, RateLimit } from './config/config';
import { UNITS } from './config/config';
import { type Entry, limitFor } from './config/match';
import type { RedisClient } from './redis/client';

/**
 * envoyproxy/ratelimit's fixed-window cache (redis/fixed_cache_impl.go): per limited descriptor one
 * counter `<domain>_<key>_<value>[_<key>_<value>…]_<window start>`, INCRBY hits and EXPIRE the window
 * length, pipelined; the descriptor is OVER_LIMIT once the count passes requests_per_unit. A
 * descriptor without a limit (or `unlimited`) is OK and costs no Redis call. Shadow-mode limits
 * are counted but never refuse.
 */
export type Code = 'OK' | 'OVER_LIMIT';

export interface DescriptorStatus {
  readonly code: Code;
  readonly limit: RateLimit | undefined;
  readonly remaining: number;
  /** Seconds until the window resets (0 without a limit). */
  readonly resetSeconds: number;
}

export interface LimitDecision {
  readonly code: Code;
  readonly statuses: readonly DescriptorStatus[];
}

export class FixedWindowLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws REDIS_ERROR when Redis does not answer (the gRPC layer turns it into UNAVAILABLE). */
  async shouldRateLimit(config: DomainConfig | undefined, domain: string, descriptors: readonly (readonly Entry[])[], hits: number): Promise<LimitDecision> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const limits = descriptors.map((d) => limitFor(config, d));
    const commands: (string | number)[][] = [];
    const keys = limits.map((limit, i) => {
      if (limit === undefined || limit.unlimited) return undefined;
      const window = UNITS[limit.unit];
      const key = `${domain}_${(descriptors[i] ?? []).map((e) => `${e.key}_${e.value}`).join('_')}_${Math.floor(nowSeconds / window) * window}`;
      commands.push(['INCRBY', key, hits], ['EXPIRE', key, window]);
      return key;
    });
    const replies = commands.length === 0 ? [] : await this.redis.pipeline(commands);
    let next = 0;
    const statuses = limits.map((limit, i): DescriptorStatus => {
      if (keys[i] === undefined || limit === undefined) return { code: 'OK', limit, remaining: 0, resetSeconds: 0 };
      const count = Number(replies[next]);
      next += 2;
      const window = UNITS[limit.unit];
      const over = count > limit.requestsPerUnit && !limit.shadowMode;
      return { code: over ? 'OVER_LIMIT' : 'OK', limit, remaining: Math.max(0, limit.requestsPerUnit - count), resetSeconds: window - (nowSeconds % window) };
    });
    return { code: statuses.some((s) => s.code === 'OVER_LIMIT') ? 'OVER_LIMIT' : 'OK', statuses };
  }
}

import type { LocalRateLimitDescriptor, Received } from '@trellis/mesh-envoy';
import { invalid } from '../../config/proto';
import type { DescriptorEntry } from './ratelimit/descriptors';
import type { TokenBucket } from './token-bucket';

/**
 * local_ratelimit's `descriptors`: each one's exact entries (key/value, in order) own a token bucket.
 * The route's `rate_limits` of the filter's `stage` build the request's descriptors (ratelimit/
 * descriptors.ts); as Envoy's LocalRateLimiterImpl does, the first request descriptor that equals a
 * configured one takes its token from that bucket, and a request matching none uses the filter's
 * `token_bucket`.
 */
export type DescriptorBuckets = ReadonlyMap<string, TokenBucket>;

const keyOf = (entries: readonly DescriptorEntry[]): string => entries.map((e) => `${e.key}\u0000${e.value}`).join('\u0001');

export function compileDescriptorBuckets(
  resource: string,
  descriptors: readonly Received<LocalRateLimitDescriptor>[] | undefined,
  bucket: (at: string, tb: Received<LocalRateLimitDescriptor>['token_bucket']) => TokenBucket | undefined,
): DescriptorBuckets {
  const out = new Map<string, TokenBucket>();
  (descriptors ?? []).forEach((d, i) => {
    const at = `local_ratelimit descriptors[${i}]`;
    const entries = (d.entries ?? []).map((e, j) => {
      if (!e.key || !e.value) throw invalid(resource, `${at}.entries[${j}] needs a key and a value`);
      return { key: e.key, value: e.value };
    });
    if (entries.length === 0) throw invalid(resource, `${at}.entries must not be empty`);
    const tb = bucket(`${at}.token_bucket`, d.token_bucket);
    if (tb === undefined) throw invalid(resource, `${at}.token_bucket is required`);
    const key = keyOf(entries);
    // Envoy: "duplicate descriptor in the local rate descriptor".
    if (out.has(key)) throw invalid(resource, `${at} duplicates an earlier descriptor (${entries.map((e) => `${e.key}=${e.value}`).join(', ')})`);
    out.set(key, tb);
  });
  return out;
}

/** The bucket of the first request descriptor that has one, if any. */
export function matchDescriptorBucket(buckets: DescriptorBuckets, request: readonly (readonly DescriptorEntry[])[]): TokenBucket | undefined {
  for (const d of request) {
    const b = buckets.get(keyOf(d));
    if (b !== undefined) return b;
  }
  return undefined;
}

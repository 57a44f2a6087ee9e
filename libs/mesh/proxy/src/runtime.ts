/**
 * The proxy's sources of chance and time. Everything that rolls a dice (weighted clusters, fault and
 * mirror percentages, retry jitter, random and least-request balancing) or reads a clock for a
 * decision (token buckets, outlier ejection) takes them from here, so tests can pin them exactly.
 */
export interface Clock {
  /** Wall-clock milliseconds (Date.now). */
  now(): number;
  /** Monotonic milliseconds (performance.now): durations and refill arithmetic. */
  monotonic(): number;
}

/** A uniform number in [0, 1), like Math.random. */
export type Random = () => number;

export interface ProxyRuntime {
  readonly random: Random;
  readonly clock: Clock;
}

export const SYSTEM_CLOCK: Clock = { now: Date.now, monotonic: () => performance.now() };
export const SYSTEM_RUNTIME: ProxyRuntime = { random: Math.random, clock: SYSTEM_CLOCK };

/** true with the given probability in [0, 1]; 0 and 1 are exact (no roll). */
export function roll(random: Random, probability: number): boolean {
  return probability >= 1 || (probability > 0 && random() < probability);
}

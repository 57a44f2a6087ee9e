/**
 * Retry spacing when the CA cannot be reached or refuses: exponential with randomisation, the shape of
 * Istio's `pkg/backoff` defaults (initial 500 ms, ×1.5, capped at 60 s, ±50 %).
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly multiplier: number;
  readonly maxMs: number;
  /** Each delay is drawn from `interval × (1 ± randomization)`. */
  readonly randomization: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, multiplier: 1.5, maxMs: 60_000, randomization: 0.5 };

/** Delay before retry number `attempt` (1 = the first retry). */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const interval = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** Math.max(0, attempt - 1));
  const spread = interval * policy.randomization;
  return Math.round(Math.min(policy.maxMs, interval - spread + random() * 2 * spread));
}

/**
 * When a workload certificate is renewed, as Istio's agent decides (`secretcache.go` rotateTime):
 * at `expire - ratio × lifetime`, lifetime measured from when the certificate arrived, with
 * `SECRET_GRACE_PERIOD_RATIO` (0.5) moved by ±`SECRET_GRACE_PERIOD_RATIO_JITTER` (0.01) once per
 * agent so proxies started together do not all call the CA at the same moment.
 */
export const DEFAULT_GRACE_PERIOD_RATIO = 0.5;
export const DEFAULT_GRACE_PERIOD_RATIO_JITTER = 0.01;

/** `ratio` moved uniformly within ±`jitter`, kept inside (0, 1). */
export function jitteredGraceRatio(ratio: number, jitter: number, random: () => number): number {
  const moved = ratio + (random() * 2 - 1) * jitter;
  return Math.min(0.99, Math.max(0.01, moved));
}

/** Milliseconds from `nowMs` until the certificate should be replaced; 0 when that is already past. */
export function rotationDelayMs(createdMs: number, expireMs: number, graceRatio: number, nowMs: number): number {
  const grace = graceRatio * (expireMs - createdMs);
  return Math.max(0, Math.round(expireMs - grace - nowMs));
}

import { CaErrorCode, caError } from '../errors';

/** `DEFAULT_WORKLOAD_CERT_TTL` (24 h) and `MAX_WORKLOAD_CERT_TTL` (90 d), in seconds. */
export const DEFAULT_WORKLOAD_TTL_SECONDS = 24 * 3600;
export const MAX_WORKLOAD_TTL_SECONDS = 90 * 24 * 3600;

export interface TtlPolicy {
  readonly defaultSeconds: number;
  readonly maxSeconds: number;
}

export const ISTIO_TTL_POLICY: TtlPolicy = { defaultSeconds: DEFAULT_WORKLOAD_TTL_SECONDS, maxSeconds: MAX_WORKLOAD_TTL_SECONDS };

/**
 * Istio's `sign`: a non-positive request gets the default; a request above the maximum is refused
 * (`CA_TTL_TOO_LONG`, not clamped); whatever is granted ends no later than the signing certificate.
 * Returns the leaf's notAfter in ms.
 */
export function leafNotAfter(requestedSeconds: number, policy: TtlPolicy, now: number, signerNotAfter: number): number {
  if (requestedSeconds > policy.maxSeconds) {
    throw caError(CaErrorCode.ttlTooLong, 'requested certificate lifetime is greater than the maximum allowed', { requestedSeconds, maxSeconds: policy.maxSeconds });
  }
  const seconds = requestedSeconds > 0 ? requestedSeconds : policy.defaultSeconds;
  return Math.min(now + seconds * 1000, signerNotAfter);
}

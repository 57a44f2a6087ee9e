import type { HTTPRetry } from '@trellis/mesh-api';
import { durationIsZero, toDuration } from './durations';
import { PREVIOUS_HOSTS_TYPE, type RetryPolicy } from '@trellis/mesh-envoy';

export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** Istio's default retry policy (core/route/retry/retry.go DefaultPolicy). */
export function defaultRetryPolicy(): RetryPolicy {
  return {
    retry_on: DEFAULT_RETRY_ON,
    num_retries: { value: 2 },
    retriable_status_codes: [503],
    retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: { '@type': PREVIOUS_HOSTS_TYPE } }],
    host_selection_retry_max_attempts: 5,
  };
}

/** `"5xx,503,gateway-error"` → retry_on names and numeric status codes (Istio parseRetryOn). */
export function parseRetryOn(retryOn: string): { retryOn: string; codes: number[] } {
  const names: string[] = [];
  const codes: number[] = [];
  for (const raw of retryOn.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    if (/^\d+$/.test(item)) codes.push(Number(item));
    else if (!names.includes(item)) names.push(item);
  }
  if (codes.length > 0 && !names.includes('retriable-status-codes')) names.push('retriable-status-codes');
  return { retryOn: names.join(','), codes };
}

/** VirtualService retries → retry_policy; undefined = no retries (`attempts: 0`). */
export function retryPolicy(retries: HTTPRetry | undefined): RetryPolicy | undefined {
  const policy = defaultRetryPolicy();
  if (!retries) return policy;
  if (retries.attempts === 0) return undefined;
  if (retries.attempts !== undefined) policy.num_retries = { value: retries.attempts };
  if (retries.retryOn !== undefined && retries.retryOn.trim() !== '') {
    const parsed = parseRetryOn(retries.retryOn);
    policy.retry_on = parsed.retryOn;
    if (parsed.codes.length > 0) policy.retriable_status_codes = parsed.codes;
    else delete policy.retriable_status_codes;
  }
  const perTry = toDuration(retries.perTryTimeout);
  if (perTry && !durationIsZero(perTry)) policy.per_try_timeout = perTry;
  return policy;
}

import type { Random } from '../runtime';
import type { RetryPolicy } from '../config/envoy-types';
import { checkDuration, invalid } from '../config/proto';

/** Why an attempt failed, as the retry decision sees it. */
export type AttemptFailure = 'connect-failure' | 'reset' | 'per-try-timeout' | 'overflow';

/** A route's retry policy compiled to flags (Envoy's retry_on list). */
export interface CompiledRetryPolicy {
  readonly numRetries: number;
  readonly perTryTimeoutMs: number;
  readonly on5xx: boolean;
  readonly onGatewayError: boolean;
  readonly onConnectFailure: boolean;
  readonly onReset: boolean;
  readonly onRetriable4xx: boolean;
  readonly onRetriableStatusCodes: boolean;
  readonly onGrpcUnavailable: boolean;
  readonly onGrpcCancelled: boolean;
  readonly statusCodes: ReadonlySet<number>;
  readonly previousHosts: boolean;
  readonly hostSelectionAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

const KNOWN_RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

export function compileRetryPolicy(resource: string, p: RetryPolicy | undefined): CompiledRetryPolicy | undefined {
  if (p === undefined) return undefined;
  const on = new Set((p.retry_on ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
  for (const o of on) if (!KNOWN_RETRY_ON.has(o)) throw invalid(resource, `unknown retry_on ${JSON.stringify(o)}`);
  const base = checkDuration(resource, 'retry_back_off.base_interval', p.retry_back_off?.base_interval) ?? 25;
  return {
    numRetries: p.num_retries?.value ?? 1,
    perTryTimeoutMs: checkDuration(resource, 'per_try_timeout', p.per_try_timeout) ?? 0,
    on5xx: on.has('5xx'),
    onGatewayError: on.has('gateway-error'),
    onConnectFailure: on.has('connect-failure'),
    onReset: on.has('reset') || on.has('reset-before-request'),
    onRetriable4xx: on.has('retriable-4xx'),
    onRetriableStatusCodes: on.has('retriable-status-codes'),
    onGrpcUnavailable: on.has('unavailable'),
    onGrpcCancelled: on.has('cancelled'),
    statusCodes: new Set(p.retriable_status_codes ?? []),
    previousHosts: (p.retry_host_predicate ?? []).some((h) => h.name === 'envoy.retry_host_predicates.previous_hosts'),
    hostSelectionAttempts: Math.max(1, p.host_selection_retry_max_attempts ?? 1),
    backoffBaseMs: base,
    backoffMaxMs: checkDuration(resource, 'retry_back_off.max_interval', p.retry_back_off?.max_interval) ?? base * 10,
  };
}

/** Does a response with this status (and grpc-status) qualify for a retry? */
export function retriableStatus(p: CompiledRetryPolicy, status: number, grpcStatus: string | undefined): boolean {
  if (p.on5xx && status >= 500) return true;
  if (p.onGatewayError && status >= 502 && status <= 504) return true;
  if (p.onRetriable4xx && status === 409) return true;
  if (p.onRetriableStatusCodes && p.statusCodes.has(status)) return true;
  if (grpcStatus !== undefined) {
    if (p.onGrpcUnavailable && grpcStatus === '14') return true;
    if (p.onGrpcCancelled && grpcStatus === '1') return true;
  }
  return false;
}

/** Does a failure before response headers qualify? */
export function retriableFailure(p: CompiledRetryPolicy, failure: AttemptFailure): boolean {
  switch (failure) {
    case 'connect-failure':
      return p.onConnectFailure || p.on5xx || p.onGatewayError;
    case 'reset':
      return p.onReset || p.on5xx || p.onGatewayError;
    case 'per-try-timeout':
      return p.on5xx || p.onGatewayError;
    case 'overflow':
      return false;
  }
}

/** Envoy's fully jittered exponential back-off: random in [0, (2^n - 1) × base], capped at max. */
export function backoffMs(p: CompiledRetryPolicy, retryNumber: number, random: Random): number {
  const ceiling = Math.min(p.backoffMaxMs, ((1 << Math.min(retryNumber, 16)) - 1) * p.backoffBaseMs);
  return Math.floor(random() * (ceiling + 1));
}

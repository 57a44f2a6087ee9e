import type { HTTPFaultInjection, Percent } from '@trellis/mesh-api';
import { toDuration } from './durations';
import { FAULT_TYPE, type FractionalPercent, type HttpFault } from '@trellis/mesh-envoy';

/** Istio converts `percentage.value` (0–100, fractional) to a MILLION-denominator FractionalPercent. */
export function millionths(percent: Percent | undefined, legacyPercent?: number): FractionalPercent {
  if (percent !== undefined) return { numerator: Math.round(percent.value * 10000), denominator: 'MILLION' };
  if (legacyPercent !== undefined) return { numerator: legacyPercent, denominator: 'HUNDRED' };
  return { numerator: 1000000, denominator: 'MILLION' };
}

const GRPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

function grpcStatus(name: string): number | undefined {
  const numeric = Number(name);
  if (Number.isInteger(numeric)) return numeric;
  const index = GRPC_CODES.indexOf(name.toUpperCase());
  return index < 0 ? undefined : index;
}

/** VirtualService fault → the per-route HTTPFault config, or undefined when there is nothing to inject. */
export function httpFault(fault: HTTPFaultInjection | undefined): HttpFault | undefined {
  if (!fault) return undefined;
  const out: HttpFault = { '@type': FAULT_TYPE };
  const delay = toDuration(fault.delay?.fixedDelay);
  if (fault.delay && delay) out.delay = { fixed_delay: delay, percentage: millionths(fault.delay.percentage, fault.delay.percent) };
  const abort = fault.abort;
  if (abort?.httpStatus !== undefined) {
    out.abort = { http_status: abort.httpStatus, percentage: millionths(abort.percentage) };
  } else if (abort?.grpcStatus !== undefined) {
    const code = grpcStatus(abort.grpcStatus);
    if (code !== undefined) out.abort = { grpc_status: code, percentage: millionths(abort.percentage) };
  }
  return out.delay || out.abort ? out : undefined;
}

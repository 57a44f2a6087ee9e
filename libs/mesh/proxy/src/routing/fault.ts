import type { HttpFault, TypedConfig } from '../config/envoy-types';
import { KNOWN_TYPES, checkDuration, fraction, invalid } from '../config/proto';

/** A route's envoy.filters.http.fault config, compiled. Probabilities are in [0, 1]. */
export interface CompiledFault {
  readonly delayMs: number;
  readonly delayProbability: number;
  readonly abortStatus: number;
  readonly abortProbability: number;
}

export const FAULT_FILTER = 'envoy.filters.http.fault';

function unwrap(resource: string, cfg: TypedConfig): HttpFault {
  if (cfg['@type'] === KNOWN_TYPES.filterConfig) {
    const inner = cfg['config'] as TypedConfig | undefined;
    if (inner === undefined) throw invalid(resource, 'FilterConfig without config');
    return unwrap(resource, inner);
  }
  if (cfg['@type'] !== KNOWN_TYPES.fault) throw invalid(resource, `unknown fault typed_config ${String(cfg['@type'])}`);
  return cfg as HttpFault;
}

/**
 * Unset percentages mean 100% here (Istio always sets them; Envoy reads an unset one as 0%,
 * which would make a fault that names a delay but no percentage silently do nothing).
 */
export function compileFault(resource: string, cfg: TypedConfig | undefined): CompiledFault | undefined {
  if (cfg === undefined) return undefined;
  const f = unwrap(resource, cfg);
  let delayMs = 0;
  let delayProbability = 0;
  if (f.delay !== undefined) {
    delayMs = checkDuration(resource, 'fault.delay.fixed_delay', f.delay.fixed_delay) ?? 0;
    delayProbability = fraction(resource, f.delay.percentage, 1);
  }
  let abortStatus = 0;
  let abortProbability = 0;
  if (f.abort !== undefined) {
    abortStatus = Number(f.abort.http_status ?? 0);
    if (!Number.isInteger(abortStatus) || abortStatus < 200 || abortStatus > 599) {
      throw invalid(resource, `fault abort http_status ${String(f.abort.http_status)} out of range`);
    }
    abortProbability = fraction(resource, f.abort.percentage, 1);
  }
  return { delayMs, delayProbability, abortStatus, abortProbability };
}

export function roll(probability: number): boolean {
  return probability >= 1 || (probability > 0 && Math.random() < probability);
}

import type { HttpFault, TypedConfig } from '../../config/envoy-types';
import { KNOWN_TYPES, checkDuration, fraction, invalid } from '../../config/proto';
import { roll } from '../../runtime';
import type { Exchange } from '../exchange';
import { sendLocalReply } from '../local-reply';
import type { Counter } from '../counters';
import { type FilterEnv, type FilterStatus, type HttpFilter, type HttpFilterFactory, perRouteConfig, resumeDecoding } from '../filter';

/**
 * envoy.filters.http.fault: delay (flag DI) then abort (flag FI) with an HTTP status or, for
 * `grpc_status`, a gRPC trailers-only reply (HTTP 200) — Envoy answers a gRPC abort with
 * `Http::Code::OK` and the gRPC status. The route's `typed_per_filter_config` replaces the filter's
 * own config, as in Envoy; Istio puts every fault there and leaves the filter-level config empty.
 */
export interface CompiledFault {
  readonly delayMs: number;
  readonly delayProbability: number;
  /** 0 = no HTTP abort. */
  readonly abortStatus: number;
  /** undefined = no gRPC abort. */
  readonly abortGrpcStatus: number | undefined;
  readonly abortProbability: number;
}

function abortOf(resource: string, f: HttpFault): Pick<CompiledFault, 'abortStatus' | 'abortGrpcStatus' | 'abortProbability'> {
  const a = f.abort;
  if (a === undefined) return { abortStatus: 0, abortGrpcStatus: undefined, abortProbability: 0 };
  const probability = fraction(resource, a.percentage, 1);
  if (a.grpc_status !== undefined && a.http_status === undefined) {
    const g = Number(a.grpc_status);
    if (!Number.isInteger(g) || g < 0 || g > 16) throw invalid(resource, `fault abort grpc_status ${String(a.grpc_status)} out of range`);
    return { abortStatus: 0, abortGrpcStatus: g, abortProbability: probability };
  }
  const status = Number(a.http_status ?? 0);
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw invalid(resource, `fault abort http_status ${String(a.http_status)} out of range`);
  }
  return { abortStatus: status, abortGrpcStatus: undefined, abortProbability: probability };
}

/**
 * Unset percentages mean 100% here (Istio always sets them; Envoy reads an unset one as 0%,
 * which would make a fault that names a delay but no percentage silently do nothing).
 */
export function compileFault(resource: string, cfg: TypedConfig): CompiledFault {
  if (cfg['@type'] !== KNOWN_TYPES.fault) throw invalid(resource, `unknown fault typed_config ${String(cfg['@type'])}`);
  const f = cfg as HttpFault;
  let delayMs = 0;
  let delayProbability = 0;
  if (f.delay !== undefined) {
    delayMs = checkDuration(resource, 'fault.delay.fixed_delay', f.delay.fixed_delay) ?? 0;
    delayProbability = fraction(resource, f.delay.percentage, 1);
  }
  return { delayMs, delayProbability, ...abortOf(resource, f) };
}

class FaultFilter implements HttpFilter {
  private readonly delays: Counter;
  private readonly aborts: Counter;

  constructor(
    readonly name: string,
    private readonly own: CompiledFault,
    env: FilterEnv,
  ) {
    const label = `http_conn_manager_prefix="${env.statPrefix}"`;
    this.delays = env.counters.counter(`http.${env.statPrefix}.fault.delays_injected`, 'envoy_http_fault_delays_injected', label);
    this.aborts = env.counters.counter(`http.${env.statPrefix}.fault.aborts_injected`, 'envoy_http_fault_aborts_injected', label);
  }

  decodeHeaders(ex: Exchange): FilterStatus {
    const f = perRouteConfig<CompiledFault>(ex, this) ?? this.own;
    if (f.delayMs > 0 && roll(ex.ctx.runtime.random, f.delayProbability)) {
      ex.addFlag('DI');
      this.delays.value++;
      setTimeout(afterDelay, f.delayMs, this, ex, f);
      return 'stop';
    }
    return this.abort(ex, f) ? 'stop' : 'continue';
  }

  /** true = aborted (the local reply is sent). */
  abort(ex: Exchange, f: CompiledFault): boolean {
    if (f.abortProbability === 0 || (f.abortStatus === 0 && f.abortGrpcStatus === undefined)) return false;
    if (!roll(ex.ctx.runtime.random, f.abortProbability)) return false;
    this.aborts.value++;
    if (f.abortGrpcStatus !== undefined) sendLocalReply(ex, 'FAULT_ABORT', { status: 200, grpcStatus: f.abortGrpcStatus });
    else sendLocalReply(ex, 'FAULT_ABORT', { status: f.abortStatus });
    return true;
  }
}

function afterDelay(filter: FaultFilter, ex: Exchange, f: CompiledFault): void {
  if (ex.done || filter.abort(ex, f)) return;
  resumeDecoding(ex);
}

export const faultFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.fault,
  create: (resource, name, config, env) => new FaultFilter(name, compileFault(resource, config), env),
  compilePerRoute: (resource, config) => compileFault(resource, config),
};

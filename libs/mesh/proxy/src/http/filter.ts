import type { TlsEnv } from '../tls/tls-env';
import type { OutgoingHttpHeaders } from 'node:http';
import type { TypedConfig } from '../config/envoy-types';
import type { ProxyRuntime } from '../runtime';
import type { Exchange } from './exchange';
import type { FilterCounters } from './counters';
import type { SinkFactory } from '../tracing/tracing-config';
import type { AccessLogSinkFactory } from '../access-log/sinks';

/**
 * Envoy's HTTP filter contract, reduced to what a request without a body costs nothing for.
 * - `decodeHeaders` runs in `http_filters` order once the request head is in and a route resolved.
 *   `'continue'` hands the request to the next filter; `'stop'` means the filter answered it (a
 *   local reply) or will call `resumeDecoding(ex)` later (a fault delay, an async check).
 * - `encodeHeaders` (optional) sees every response head going downstream, upstream or local, in
 *   reverse filter order, and may edit it.
 * - `onComplete` (optional) runs once when the exchange is accounted for (Envoy's onDestroy/log):
 *   where stats and telemetry filters record.
 * Request and response bodies stream between the codecs and the router without passing through
 * filters; a filter that must see the body (ext_authz with_request_body, buffer) would add a
 * `decodeData` step here, and only requests through such a filter would pay for it.
 */
export type FilterStatus = 'continue' | 'stop';

export interface HttpFilter {
  /** The filter's name in `http_filters` (`envoy.filters.http.fault`): the key of `typed_per_filter_config`. */
  readonly name: string;
  /** The router: it must be last, and nothing may follow it. */
  readonly terminal?: boolean;
  decodeHeaders(ex: Exchange): FilterStatus;
  encodeHeaders?(ex: Exchange, status: number, headers: OutgoingHttpHeaders): void;
  onComplete?(ex: Exchange): void;
}

/** What config compilers get besides the resource: the filter registry, counters, chance and time. */
export interface CompileEnv {
  readonly registry: HttpFilterRegistry;
  readonly counters: FilterCounters;
  readonly runtime: ProxyRuntime;
  /** SDS secrets and a logger for TLS contexts (transport sockets); absent in unit tests. */
  readonly tls?: TlsEnv;
  /** The proxy's span reporters (tracing/tracer-registry.ts) for HCM `tracing`; absent in unit tests: spans dropped. */
  readonly spanSinks?: SinkFactory;
  /** Where FileAccessLog paths write (access-log/sinks.ts); absent in unit tests: lines dropped. */
  readonly accessLogSinks?: AccessLogSinkFactory;
}

/** What a filter factory gets besides its config; `statPrefix` is its HTTP connection manager's. */
export interface FilterEnv extends CompileEnv {
  readonly statPrefix: string;
}

/** Filter factories by `typed_config` @type. The proxy's one registry is in `stack.ts`. */
export type HttpFilterRegistry = ReadonlyMap<string, HttpFilterFactory>;

/** One entry of the registry: builds a filter from its `typed_config` (throws XDS_INVALID naming the field). */
export interface HttpFilterFactory {
  readonly typeUrl: string;
  create(resource: string, name: string, config: TypedConfig, env: FilterEnv): HttpFilter;
  /** `typed_per_filter_config` of a route/vhost for this filter, compiled once per route table. */
  compilePerRoute?(resource: string, config: TypedConfig, env: CompileEnv): unknown;
}

/** Runs the decoder chain from `ex.filterIndex` on; stops at the first filter that says so. */
export function decode(ex: Exchange): void {
  const filters = ex.target.hcm.filters;
  for (let i = ex.filterIndex; i < filters.length; i++) {
    ex.filterIndex = i;
    if (filters[i].decodeHeaders(ex) === 'stop' || ex.done) return;
  }
}

/** A filter that returned 'stop' continues the chain after itself (unless the exchange ended meanwhile). */
export function resumeDecoding(ex: Exchange): void {
  if (ex.done) return;
  ex.filterIndex++;
  decode(ex);
}

/** Response head through the encoders (reverse order). Free when none of the HCM's filters encodes. */
export function encodeHeaders(ex: Exchange, status: number, headers: OutgoingHttpHeaders): void {
  const encoders = ex.target.hcm.encoders;
  for (let i = 0; i < encoders.length; i++) encoders[i].encodeHeaders?.(ex, status, headers);
}

/** The per-route config a filter reads: the route's `typed_per_filter_config[name]`, compiled. */
export function perRouteConfig<T>(ex: Exchange, filter: HttpFilter): T | undefined {
  return ex.route.perFilter.get(filter.name) as T | undefined;
}

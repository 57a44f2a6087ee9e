import type { HttpConnectionManager, HttpFilterEntry } from '../config/envoy-types';
import { invalid } from '../config/proto';
import { type RouteTable, compileRouteTable } from '../routing/route-table';
import type { CompileEnv, HttpFilter } from './filter';
import { ROUTER } from './filters/router';
import { unwrapTypedStruct } from './typed-struct';
import { type XfccConfig, compileXfcc } from './xfcc';
import { type TracingConfig, compileTracing } from '../tracing/tracing-config';
import { DISCARD_SPANS } from '../tracing/tracer-registry';
import { ENVOY_SERVER_HEADER, type ServerHeader, compileServerHeader } from './server-header';
import { type CompiledAccessLog, compileAccessLogs } from '../access-log/compile';

/** An HTTP connection manager compiled: where its routes come from, its filter chain, per-request knobs. */
export interface HcmConfig {
  readonly statPrefix: string;
  readonly rdsName: string | undefined;
  readonly inlineRoutes: RouteTable | undefined;
  readonly generateRequestId: boolean;
  readonly useRemoteAddress: boolean;
  readonly maxRequestHeadersBytes: number;
  /** `http_protocol_options.accept_http_10`: HTTP/1.0 is served; otherwise answered `426` (Envoy's default). */
  readonly acceptHttp10: boolean;
  /** server_name / server_header_transformation (server-header.ts). */
  readonly server: ServerHeader;
  /** `http_protocol_options.default_host_for_http_10`: the Host of an HTTP/1.0 request without one ('' = none: 400). */
  readonly defaultHostForHttp10: string;
  /** `http_filters` in order, the router last. */
  readonly filters: readonly HttpFilter[];
  /** The filters with an `encodeHeaders` step, in encoding (reverse) order. */
  readonly encoders: readonly HttpFilter[];
  /** The filters with an `onComplete` step. */
  readonly completers: readonly HttpFilter[];
  /** forward_client_cert_details / set_current_client_cert_details (x-forwarded-client-cert). */
  readonly xfcc: XfccConfig;
  /** `tracing` compiled (tracing/): undefined = no spans, no cost. */
  readonly tracing: TracingConfig | undefined;
  /** `access_log` compiled (access-log/): empty = none, no cost. */
  readonly accessLogs: readonly CompiledAccessLog[];
}

const DEFAULT_MAX_HEADERS_KB = 60;
const SANITIZE: XfccConfig = compileXfcc('', {});

/**
 * `http_filters` → filter instances through the registry. An unknown @type is NACKed (naming the
 * filter) unless the entry says `is_optional: true`, then it is skipped, as Envoy does. The router
 * must be last; an empty list means the router alone.
 */
function compileHttpFilters(resource: string, entries: readonly HttpFilterEntry[], env: CompileEnv, statPrefix: string): HttpFilter[] {
  if (entries.length === 0) return [ROUTER];
  const out: HttpFilter[] = [];
  entries.forEach((entry, i) => {
    const name = entry.name;
    if (typeof name !== 'string' || name === '') throw invalid(resource, `http_filters[${i}] without name`);
    const config = unwrapTypedStruct(resource, entry.typed_config ?? {});
    const type = config['@type'];
    const factory = typeof type === 'string' ? env.registry.get(type) : undefined;
    if (factory === undefined) {
      if (entry.is_optional === true) return;
      throw invalid(resource, `unknown http filter ${name} typed_config ${String(type)}`);
    }
    if (out[out.length - 1]?.terminal === true) throw invalid(resource, `http filter ${name} after envoy.filters.http.router`);
    out.push(factory.create(`${resource} http filter ${name}`, name, config, { ...env, statPrefix }));
  });
  if (out[out.length - 1]?.terminal !== true) throw invalid(resource, 'the last http filter must be envoy.filters.http.router');
  return out;
}

export function compileHcm(resource: string, h: HttpConnectionManager, env: CompileEnv): HcmConfig {
  const statPrefix = h.stat_prefix ?? '';
  const filters = compileHttpFilters(resource, h.http_filters ?? [], env, statPrefix);
  const rdsName = h.rds?.route_config_name;
  if (h.route_config === undefined && (typeof rdsName !== 'string' || rdsName === '')) {
    throw invalid(resource, 'http_connection_manager needs rds.route_config_name or route_config');
  }
  const kb = h.max_request_headers_kb?.value ?? DEFAULT_MAX_HEADERS_KB;
  if (!Number.isInteger(kb) || kb < 1 || kb > 8192) throw invalid(resource, `max_request_headers_kb ${kb} out of range`);
  return {
    statPrefix,
    rdsName: h.route_config === undefined ? rdsName : undefined,
    inlineRoutes: h.route_config ? compileRouteTable(h.route_config, env, `${resource} inline`) : undefined,
    generateRequestId: h.generate_request_id?.value !== false,
    useRemoteAddress: h.use_remote_address?.value === true,
    maxRequestHeadersBytes: kb * 1024,
    acceptHttp10: h.http_protocol_options?.accept_http_10 === true,
    server: compileServerHeader(h),
    defaultHostForHttp10: h.http_protocol_options?.default_host_for_http_10 ?? '',
    filters,
    encoders: filters.filter((f) => f.encodeHeaders !== undefined).reverse(),
    completers: filters.filter((f) => f.onComplete !== undefined),
    xfcc: compileXfcc(resource, h),
    tracing: compileTracing(resource, h.tracing, env.spanSinks ?? DISCARD_SPANS),
    accessLogs: compileAccessLogs(resource, h.access_log, env.accessLogSinks),
  };
}

/** The HCM of a listener that has none (an ORIGINAL_DST passthrough listener): the router alone. */
export function routerOnlyHcm(statPrefix: string): HcmConfig {
  return {
    statPrefix,
    rdsName: undefined,
    inlineRoutes: undefined,
    generateRequestId: true,
    useRemoteAddress: false,
    maxRequestHeadersBytes: DEFAULT_MAX_HEADERS_KB * 1024,
    // No HCM in Envoy either: the passthrough is a tcp_proxy, which forwards any HTTP version.
    acceptHttp10: true,
    server: ENVOY_SERVER_HEADER,
    defaultHostForHttp10: '',
    filters: [ROUTER],
    encoders: [],
    completers: [],
    xfcc: SANITIZE,
    tracing: undefined,
    accessLogs: [],
  };
}

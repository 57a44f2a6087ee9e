import {
  EXT_AUTHZ_TYPE,
  FAULT_TYPE,
  FILTER_CONFIG_TYPE,
  HCM_TYPE,
  HTTP_PROTOCOL_OPTIONS_TYPE,
  LISTENER_FILTER_TYPES,
  LOCAL_RATE_LIMIT_TYPE,
  RATE_LIMIT_TYPE,
  NETWORK_RBAC_TYPE,
  OPENTELEMETRY_TRACER_TYPE,
  PREVIOUS_HOSTS_TYPE,
  RBAC_PER_ROUTE_TYPE,
  RBAC_TYPE,
  ROUTER_TYPE,
  TCP_PROXY_TYPE,
  UDPA_TYPED_STRUCT_TYPE,
  UPSTREAM_TLS_CONTEXT_TYPE,
  XDS_TYPED_STRUCT_TYPE,
  ZIPKIN_TRACER_TYPE,
} from '@trellis/mesh-envoy';
import { TrellisError } from '@trellis/shared';
import type { Duration, FractionalPercent } from './envoy-types';

export { TYPE_PREFIX } from '@trellis/mesh-envoy';

/** The typed_config @types the proxy understands; anything else is NACKed. */
export const KNOWN_TYPES = {
  hcm: HCM_TYPE,
  tcpProxy: TCP_PROXY_TYPE,
  router: ROUTER_TYPE,
  fault: FAULT_TYPE,
  filterConfig: FILTER_CONFIG_TYPE,
  httpProtocolOptions: HTTP_PROTOCOL_OPTIONS_TYPE,
  previousHosts: PREVIOUS_HOSTS_TYPE,
  localRateLimit: LOCAL_RATE_LIMIT_TYPE,
  rateLimit: RATE_LIMIT_TYPE,
  extAuthz: EXT_AUTHZ_TYPE,
  rbac: RBAC_TYPE,
  rbacPerRoute: RBAC_PER_ROUTE_TYPE,
  networkRbac: NETWORK_RBAC_TYPE,
  udpaTypedStruct: UDPA_TYPED_STRUCT_TYPE,
  xdsTypedStruct: XDS_TYPED_STRUCT_TYPE,
  upstreamTlsContext: UPSTREAM_TLS_CONTEXT_TYPE,
  /** HCM tracing providers (tracing/tracing-config.ts). */
  zipkinTracer: ZIPKIN_TRACER_TYPE,
  openTelemetryTracer: OPENTELEMETRY_TRACER_TYPE,
} as const;

/** Listener filters Istio emits; accepted and ignored (the proxy speaks plaintext HTTP/1.1). */
export const KNOWN_LISTENER_FILTER_TYPES: ReadonlySet<string> = new Set(LISTENER_FILTER_TYPES);

/** The one way a compiler rejects a resource: `XDS_INVALID` with a reason naming it. */
export function invalid(resource: string, reason: string): TrellisError {
  return new TrellisError('XDS_INVALID', `${resource}: ${reason}`, { resource });
}

/** Duration → milliseconds; `undefined` when absent. Strings like "1.5s" are tolerated. */
export function durationMs(d: Duration | string | undefined): number | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'string') {
    const m = /^(\d+(?:\.\d+)?)(s|ms)$/.exec(d.trim());
    if (!m) return Number.NaN;
    return m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]);
  }
  return (Number(d.seconds ?? 0) * 1000) + Math.round(Number(d.nanos ?? 0) / 1e6);
}

export function checkDuration(resource: string, field: string, d: Duration | string | undefined): number | undefined {
  const ms = durationMs(d);
  if (ms !== undefined && (!Number.isFinite(ms) || ms < 0)) throw invalid(resource, `${field} is not a valid duration`);
  return ms;
}

const DENOMINATORS: Readonly<Record<string, number>> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** A FractionalPercent as a probability in [0, 1]. */
export function fraction(resource: string, p: FractionalPercent | undefined, fallback: number): number {
  if (p === undefined) return fallback;
  const denominator = DENOMINATORS[p.denominator ?? 'HUNDRED'];
  if (denominator === undefined) throw invalid(resource, `unknown FractionalPercent denominator ${String(p.denominator)}`);
  return Math.min(1, Math.max(0, Number(p.numerator ?? 0) / denominator));
}

/** Compile an RE2-style regex used as a full match; bad patterns are NACKed. */
export function compileRegex(resource: string, pattern: string | undefined, flags = '', full = true): RegExp {
  if (typeof pattern !== 'string') throw invalid(resource, 'safe_regex without regex');
  try {
    return new RegExp(full ? `^(?:${pattern})$` : pattern, flags);
  } catch {
    throw invalid(resource, `bad regex ${JSON.stringify(pattern)}`);
  }
}

export function requireName(kind: string, name: unknown, index: number): string {
  if (typeof name !== 'string' || name === '') throw invalid(`${kind}[${index}]`, 'missing name');
  return name;
}

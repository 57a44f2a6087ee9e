import type { RateLimitFilter, Received } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../../config/envoy-types';
import { KNOWN_TYPES, checkDuration, invalid } from '../../../config/proto';

/**
 * envoy.extensions.filters.http.ratelimit.v3.RateLimit compiled once per HCM: the domain, the
 * filter's stage (which route rate_limits it evaluates), the RLS cluster (`envoy_grpc` only), the
 * call's deadline (Envoy: 20 ms by default) and what an RLS failure does (`failure_mode_deny`).
 */
export interface CompiledRateLimitFilter {
  readonly domain: string;
  readonly stage: number;
  readonly requestType: 'internal' | 'external' | 'both';
  readonly cluster: string;
  readonly authority: string;
  readonly timeoutMs: number;
  readonly failureModeDeny: boolean;
  readonly resourceExhausted: boolean;
  readonly statPrefix: string;
}

export const DEFAULT_RLS_TIMEOUT_MS = 20;

export function compileRateLimitFilter(resource: string, cfg: TypedConfig): CompiledRateLimitFilter {
  if (cfg['@type'] !== KNOWN_TYPES.rateLimit) throw invalid(resource, `unknown ratelimit typed_config ${String(cfg['@type'])}`);
  const c = cfg as Received<RateLimitFilter>;
  const domain = c.domain;
  if (typeof domain !== 'string' || domain === '') throw invalid(resource, 'ratelimit domain is required');
  const service = c.rate_limit_service;
  if (service?.transport_api_version === 'V2') throw invalid(resource, 'ratelimit rate_limit_service.transport_api_version V2 is not supported (V3 only)');
  const grpc = service?.grpc_service;
  const cluster = grpc?.envoy_grpc?.cluster_name;
  if (typeof cluster !== 'string' || cluster === '') throw invalid(resource, 'ratelimit rate_limit_service.grpc_service.envoy_grpc.cluster_name missing (google_grpc is not supported)');
  const authority = grpc?.envoy_grpc?.authority;
  const stage = Number(c.stage ?? 0);
  if (!Number.isInteger(stage) || stage < 0 || stage > 10) throw invalid(resource, 'ratelimit stage must be 0..10');
  return {
    domain,
    stage,
    requestType: c.request_type ?? 'both',
    cluster,
    authority: typeof authority === 'string' && authority !== '' ? authority : cluster,
    timeoutMs: checkDuration(resource, 'timeout', c.timeout) ?? DEFAULT_RLS_TIMEOUT_MS,
    failureModeDeny: c.failure_mode_deny === true,
    resourceExhausted: c.rate_limited_as_resource_exhausted === true,
    statPrefix: c.stat_prefix ?? '',
  };
}

import type { OutgoingHttpHeaders } from 'node:http';
import type { LocalRateLimit, TypedConfig } from '../../config/envoy-types';
import { KNOWN_TYPES, checkDuration, fraction, invalid } from '../../config/proto';
import { type HeaderEdits, applyEdits, compileEdits } from '../../routing/header-mutation';
import { roll } from '../../runtime';
import type { Exchange } from '../exchange';
import { sendLocalReply } from '../local-reply';
import type { Counter } from '../counters';
import type { CompileEnv, FilterStatus, HttpFilter, HttpFilterFactory } from '../filter';
import { perRouteConfig } from '../filter';
import { type DescriptorBuckets, compileDescriptorBuckets, matchDescriptorBucket } from './local-ratelimit-descriptors';
import { requestDescriptors } from './ratelimit/descriptors';
import { TokenBucket } from './token-bucket';

/**
 * envoy.filters.http.local_ratelimit: a token bucket per filter config (and one per route that
 * carries its own config in `typed_per_filter_config`). A request that finds the bucket empty is
 * answered `429 local_rate_limited` (flag RL) with `response_headers_to_add` — Istio's rate-limit
 * task adds `x-local-rate-limit: true` there. `filter_enabled`/`filter_enforced` default to 0% as
 * in Envoy: a bucket that is not enabled counts nothing; one enabled but not enforced only counts
 * and adds `request_headers_to_add_when_not_enforced`. Stats, as Envoy names them:
 * `<stat_prefix>.http_local_rate_limit.{enabled,enforced,rate_limited,ok}`. `descriptors` give
 * buckets of their own to requests whose route `rate_limits` (of the filter's `stage`) build matching
 * descriptors (local-ratelimit-descriptors.ts); `enable_x_ratelimit_headers: DRAFT_VERSION_03` adds
 * x-ratelimit-limit / -remaining / -reset of the bucket used to the response.
 */
export interface CompiledLocalRateLimit {
  readonly bucket: TokenBucket | undefined;
  readonly descriptors: DescriptorBuckets;
  readonly stage: number;
  readonly xRateLimitHeaders: boolean;
  readonly enabled: number;
  readonly enforced: number;
  readonly status: number;
  readonly responseEdits: HeaderEdits;
  readonly notEnforcedEdits: HeaderEdits;
  readonly stats: { readonly enabled: Counter; readonly enforced: Counter; readonly rateLimited: Counter; readonly ok: Counter };
}

const MIN_FILL_INTERVAL_MS = 50;

/** envoy.type.v3.StatusCode names a rate limiter answers with → numbers (a number passes as it is). */
const STATUS_CODES: Readonly<Record<string, number>> = {
  BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, RequestTimeout: 408, Conflict: 409, Gone: 410,
  PayloadTooLarge: 413, Locked: 423, TooEarly: 425, TooManyRequests: 429, InternalServerError: 500,
  NotImplemented: 501, BadGateway: 502, ServiceUnavailable: 503, GatewayTimeout: 504, InsufficientStorage: 507,
};

function statusCode(code: string | number | undefined): number | undefined {
  if (code === undefined) return 429;
  return typeof code === 'number' ? code : STATUS_CODES[code];
}

function compileBucket(resource: string, at: string, tb: LocalRateLimit['token_bucket'], env: CompileEnv): TokenBucket | undefined {
  if (tb === undefined) return undefined;
  const max = Number(tb.max_tokens ?? 0);
  if (!Number.isInteger(max) || max < 1) throw invalid(resource, `${at}.max_tokens must be at least 1`);
  // A UInt32Value, or a plain number in proto JSON (Istio's TypedStruct EnvoyFilters).
  const fill: unknown = tb.tokens_per_fill;
  const perFill = Number(typeof fill === 'number' || typeof fill === 'string' ? fill : (tb.tokens_per_fill?.value ?? 1));
  if (!Number.isInteger(perFill) || perFill < 1) throw invalid(resource, `${at}.tokens_per_fill must be at least 1`);
  const interval = checkDuration(resource, `${at}.fill_interval`, tb.fill_interval);
  if (interval === undefined || interval < MIN_FILL_INTERVAL_MS) {
    throw invalid(resource, `${at}.fill_interval must be at least ${MIN_FILL_INTERVAL_MS}ms`);
  }
  return new TokenBucket(max, perFill, interval, env.runtime.clock);
}

export function compileLocalRateLimit(resource: string, config: TypedConfig, env: CompileEnv): CompiledLocalRateLimit {
  const c = config as LocalRateLimit;
  const prefix = c.stat_prefix;
  if (typeof prefix !== 'string' || prefix === '') throw invalid(resource, 'local_ratelimit stat_prefix is required');
  if (c.vh_rate_limits !== undefined && c.vh_rate_limits !== 'OVERRIDE') throw invalid(resource, `local_ratelimit vh_rate_limits ${c.vh_rate_limits} is not supported (OVERRIDE)`);
  const status = statusCode(c.status?.code);
  if (status === undefined || status < 400 || status > 599) throw invalid(resource, `local_ratelimit status ${String(c.status?.code)} is not a 4xx/5xx code`);
  const counter = (name: string) => env.counters.counter(`${prefix}.http_local_rate_limit.${name}`);
  return {
    bucket: compileBucket(resource, 'token_bucket', c.token_bucket, env),
    descriptors: compileDescriptorBuckets(resource, c.descriptors, (at, tb) => compileBucket(resource, at, tb, env)),
    stage: Number(c.stage ?? 0),
    xRateLimitHeaders: c.enable_x_ratelimit_headers === 'DRAFT_VERSION_03',
    enabled: fraction(resource, c.filter_enabled?.default_value, 0),
    enforced: fraction(resource, c.filter_enforced?.default_value, 0),
    status,
    responseEdits: compileEdits(resource, { response_headers_to_add: c.response_headers_to_add }).response,
    notEnforcedEdits: compileEdits(resource, { request_headers_to_add: c.request_headers_to_add_when_not_enforced }).request,
    stats: { enabled: counter('enabled'), enforced: counter('enforced'), rateLimited: counter('rate_limited'), ok: counter('ok') },
  };
}

/** The bucket a request takes its token from: its descriptors' first match, else the filter's own. */
function bucketFor(ex: Exchange, cfg: CompiledLocalRateLimit): TokenBucket | undefined {
  if (cfg.descriptors.size === 0) return cfg.bucket;
  return matchDescriptorBucket(cfg.descriptors, requestDescriptors(ex, cfg.stage)) ?? cfg.bucket;
}

class LocalRateLimitFilter implements HttpFilter {
  /** DRAFT_VERSION_03 headers of the bucket a request used, for its response. */
  private readonly used = new WeakMap<Exchange, TokenBucket>();

  constructor(
    readonly name: string,
    private readonly own: CompiledLocalRateLimit,
  ) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    const cfg = perRouteConfig<CompiledLocalRateLimit>(ex, this) ?? this.own;
    const random = ex.ctx.runtime.random;
    const bucket = bucketFor(ex, cfg);
    if (bucket === undefined || !roll(random, cfg.enabled)) return 'continue';
    cfg.stats.enabled.value++;
    if (cfg.xRateLimitHeaders) this.used.set(ex, bucket);
    if (bucket.consume()) {
      cfg.stats.ok.value++;
      return 'continue';
    }
    cfg.stats.rateLimited.value++;
    if (!roll(random, cfg.enforced)) {
      applyEdits(cfg.notEnforcedEdits, ex.headers);
      return 'continue';
    }
    cfg.stats.enforced.value++;
    sendLocalReply(ex, 'RATE_LIMITED', { status: cfg.status, responseEdits: cfg.responseEdits });
    return 'stop';
  }

  encodeHeaders(ex: Exchange, _status: number, headers: OutgoingHttpHeaders): void {
    const bucket = this.used.get(ex);
    if (bucket === undefined) return;
    headers['x-ratelimit-limit'] = String(bucket.max);
    headers['x-ratelimit-remaining'] = String(bucket.remaining());
    headers['x-ratelimit-reset'] = String(bucket.secondsToNextFill());
  }
}

export const localRateLimitFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.localRateLimit,
  create: (resource, name, config, env) => new LocalRateLimitFilter(name, compileLocalRateLimit(resource, config, env)),
  compilePerRoute: compileLocalRateLimit,
};

import type { OutgoingHttpHeaders } from 'node:http';
import { KNOWN_TYPES } from '../../config/proto';
import { type SideCall, type SideResponse, sideCall } from '../../upstream/side-call';
import type { Counter, FilterCounters } from '../counters';
import type { Exchange } from '../exchange';
import { type FilterStatus, type HttpFilter, type HttpFilterFactory, resumeDecoding } from '../filter';
import { sendLocalReply } from '../local-reply';
import { type CompiledRateLimitFilter, compileRateLimitFilter } from './ratelimit/config';
import { requestDescriptors, routeCluster } from './ratelimit/descriptors';
import { type RlsResponse, SHOULD_RATE_LIMIT_PATH, decodeRateLimitResponse, encodeRateLimitRequest } from './ratelimit/rls-wire';

/**
 * envoy.filters.http.ratelimit (global rate limiting, Istio's rate-limit task): the route's (else the
 * virtual host's) `rate_limits` of this filter's stage build descriptors (ratelimit/descriptors.ts);
 * with none the request goes on untouched. Otherwise the request waits for a unary
 * `envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit` over the RLS cluster's HTTP/2 pool
 * (`upstream/side-call.ts`). OVER_LIMIT: `429` with `x-envoy-ratelimited: true` (flag RL,
 * request_rate_limited). OK: the service's request headers go upstream, its response headers
 * downstream. No answer, a gRPC error or a bad message: `failure_mode_deny` answers 500 (RLSE), else
 * the request goes on (fail open, Envoy's default), counted. Stats as Envoy's, on the route's cluster:
 * `cluster.<cluster>.ratelimit.{ok,over_limit,error,failure_mode_allowed}`.
 */
type StatName = 'ok' | 'over_limit' | 'error' | 'failure_mode_allowed';
type Stats = Readonly<Record<StatName, Counter>>;
const STATS: readonly StatName[] = ['ok', 'over_limit', 'error', 'failure_mode_allowed'];

function statsFor(counters: FilterCounters, cluster: string): Stats {
  const label = `cluster_name="${cluster}"`;
  return Object.fromEntries(STATS.map((s) => [s, counters.counter(`cluster.${cluster}.ratelimit.${s}`, `envoy_cluster_ratelimit_${s}`, label)])) as Record<StatName, Counter>;
}

function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** The gRPC answer: the decoded response or why there is none. */
function readAnswer(res: SideResponse | undefined, failure: string | undefined): RlsResponse | string {
  if (res === undefined) return failure ?? 'no response';
  if (res.status !== 200) return `rate limit service answered HTTP ${res.status}`;
  const grpcStatus = res.trailers['grpc-status'] ?? res.headers['grpc-status'];
  if (grpcStatus !== '0') return `ShouldRateLimit failed with grpc-status ${String(grpcStatus)}`;
  const body = res.body;
  if (body.length < 5 || body[0] !== 0 || body.length < 5 + body.readUInt32BE(1)) return 'ShouldRateLimit answered without a whole uncompressed message';
  try {
    return decodeRateLimitResponse(body.subarray(5, 5 + body.readUInt32BE(1)));
  } catch (err) {
    return `ShouldRateLimit answered a malformed message: ${(err as Error).message}`;
  }
}

class RateLimitFilter implements HttpFilter {
  private readonly pending = new WeakMap<Exchange, SideCall>();
  private readonly onOk = new WeakMap<Exchange, readonly (readonly [string, string])[]>();
  private readonly stats = new Map<string, Stats>();

  constructor(
    readonly name: string,
    private readonly c: CompiledRateLimitFilter,
    private readonly counters: FilterCounters,
  ) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    const c = this.c;
    const internal = ex.headers['x-envoy-internal'] === 'true';
    if ((c.requestType === 'internal' && !internal) || (c.requestType === 'external' && internal)) return 'continue';
    const cluster = routeCluster(ex);
    const descriptors = requestDescriptors(ex, c.stage, cluster);
    if (descriptors.length === 0) return 'continue';
    const body = frame(encodeRateLimitRequest(c.domain, descriptors));
    const headers = { host: c.authority, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': `${c.timeoutMs}m`, 'content-length': String(body.length) };
    const req = { cluster: c.cluster, method: 'POST', path: SHOULD_RATE_LIMIT_PATH, headers, body, timeoutMs: c.timeoutMs };
    const call = sideCall(ex.ctx, req, (res, failure) => {
      this.pending.delete(ex);
      this.onAnswer(ex, this.statsOf(cluster), readAnswer(res, failure));
    });
    if (!ex.done) this.pending.set(ex, call);
    return 'stop';
  }

  encodeHeaders(ex: Exchange, _status: number, headers: OutgoingHttpHeaders): void {
    for (const [k, v] of this.onOk.get(ex) ?? []) headers[k] = v;
  }

  onComplete(ex: Exchange): void {
    this.pending.get(ex)?.cancel();
    this.pending.delete(ex);
  }

  private statsOf(cluster: string): Stats {
    let s = this.stats.get(cluster);
    if (s === undefined) this.stats.set(cluster, (s = statsFor(this.counters, cluster)));
    return s;
  }

  private onAnswer(ex: Exchange, stats: Stats, answer: RlsResponse | string): void {
    if (ex.done) return;
    if (typeof answer === 'string') {
      stats.error.value++;
      ex.ctx.logger.debug({ filter: this.name, cluster: this.c.cluster, reason: answer }, 'rate limit service call failed');
      if (this.c.failureModeDeny) return sendLocalReply(ex, 'RATE_LIMIT_SERVICE_ERROR');
      stats.failure_mode_allowed.value++;
      return resumeDecoding(ex);
    }
    const add = answer.responseHeaders.map(([key, value]) => ({ key, value, action: 'overwrite' as const }));
    if (answer.code === 'OVER_LIMIT') {
      stats.over_limit.value++;
      const responseEdits = { add: [...add, { key: 'x-envoy-ratelimited', value: 'true', action: 'overwrite' as const }], remove: [] };
      return sendLocalReply(ex, 'RATE_LIMITED', { body: '', details: 'request_rate_limited', responseEdits });
    }
    stats.ok.value++;
    for (const [k, v] of answer.requestHeaders) ex.headers[k] = v;
    if (answer.responseHeaders.length > 0) this.onOk.set(ex, answer.responseHeaders);
    resumeDecoding(ex);
  }
}

export const rateLimitFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.rateLimit,
  create: (resource, name, config, env) => new RateLimitFilter(name, compileRateLimitFilter(resource, config), env.counters),
};

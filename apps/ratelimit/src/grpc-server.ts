import { Server, ServerCredentials, type ServiceDefinition, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { envoyGrpcService } from '@trellis/mesh-xds';
import { GrpcCode, type Logger } from '@trellis/shared';
import type { Domains } from './config/loader';
import type { Entry } from './config/match';
import type { FixedWindowLimiter, LimitDecision } from './limiter';

/**
 * envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit (Envoy's RLS API) over grpc-js, as the
 * Go service answers: overall_code, one status per descriptor (current_limit, limit_remaining,
 * duration_until_reset). Redis unreachable: UNAVAILABLE (Envoy then fails open unless failure_mode_deny).
 */
export interface RateLimitRequest {
  readonly domain?: string;
  readonly descriptors?: readonly { readonly entries?: readonly { readonly key?: string; readonly value?: string }[] }[];
  readonly hits_addend?: number;
}

/** envoy.service.ratelimit.v3.RateLimitService from the Envoy protos grpc-js-xds ships. */
export const rateLimitService = (): ServiceDefinition => envoyGrpcService('envoy/service/ratelimit/v3/rls.proto', 'envoy.service.ratelimit.v3.RateLimitService');

/** The RateLimitResponse of a decision, in proto-loader's object form. */
export function responseOf(d: LimitDecision): Record<string, unknown> {
  return {
    overall_code: d.code,
    statuses: d.statuses.map((s) => ({
      code: s.code,
      ...(s.limit === undefined ? {} : { current_limit: { requests_per_unit: s.limit.requestsPerUnit, unit: s.limit.unit.toUpperCase(), ...(s.limit.name ? { name: s.limit.name } : {}) } }),
      limit_remaining: s.remaining,
      ...(s.resetSeconds > 0 ? { duration_until_reset: { seconds: s.resetSeconds } } : {}),
    })),
  };
}

export function entriesOf(req: RateLimitRequest): Entry[][] {
  return (req.descriptors ?? []).map((d) => (d.entries ?? []).map((e) => ({ key: e.key ?? '', value: e.value ?? '' })));
}

export function createGrpcServer(limiter: FixedWindowLimiter, domains: () => Domains, logger: Logger): Server {
  const server = new Server();
  server.addService(rateLimitService(), {
    ShouldRateLimit: (call: ServerUnaryCall<RateLimitRequest, unknown>, cb: sendUnaryData<unknown>) => {
      const req = call.request;
      const domain = req.domain ?? '';
      if (domain === '') return cb({ code: GrpcCode.INVALID_ARGUMENT, details: 'rate limit domain must not be empty' });
      const entries = entriesOf(req);
      if (entries.length === 0) return cb({ code: GrpcCode.INVALID_ARGUMENT, details: 'rate limit descriptor list must not be empty' });
      limiter
        .shouldRateLimit(domains().get(domain), domain, entries, Math.max(1, req.hits_addend ?? 1))
        .then((d) => {
          logger.debug({ domain, descriptors: entries, code: d.code }, 'ShouldRateLimit');
          cb(null, responseOf(d));
        })
        .catch((err: unknown) => {
          logger.warn({ err, domain }, 'ShouldRateLimit failed');
          cb({ code: GrpcCode.UNAVAILABLE, details: err instanceof Error ? err.message : String(err) });
        });
    },
  });
  return server;
}

export function bindGrpc(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => server.bindAsync(address, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
}

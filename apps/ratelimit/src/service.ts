import type { Server as HttpServer } from 'node:http';
import type { Logger } from '@trellis/shared';
import { ConfigWatcher } from './config/loader';
import { bindGrpc, createGrpcServer } from './grpc-server';
import { createDebugServer, createHttpServer, listen } from './http-server';
import { FixedWindowLimiter } from './limiter';
import { RedisClient } from './redis/client';
import type { Settings } from './settings';

/** The running service: its bound ports and one close for all of it. */
export interface RateLimitService {
  readonly ports: { readonly http: number; readonly grpc: number; readonly debug: number };
  close(): Promise<void>;
}

const closeHttp = (s: HttpServer): Promise<void> => new Promise((r) => (s.closeAllConnections(), s.close(() => r())));

export async function startRateLimitService(settings: Settings, logger: Logger): Promise<RateLimitService> {
  const config = new ConfigWatcher(settings.configDir, settings.ignoreDotFiles, settings.reloadMs, logger);
  const redis = new RedisClient(settings.redis);
  const limiter = new FixedWindowLimiter(redis);
  const domains = () => config.domains;
  const grpc = createGrpcServer(limiter, domains, logger);
  const http = createHttpServer(limiter, domains, logger);
  const debug = createDebugServer(domains);
  const ports = {
    http: await listen(http, settings.http.host, settings.http.port),
    grpc: await bindGrpc(grpc, settings.grpc.host, settings.grpc.port),
    debug: await listen(debug, settings.debug.host, settings.debug.port),
  };
  logger.info({ ports, domains: [...config.domains.keys()], redis: settings.redis.url }, 'rate limit service listening');
  return {
    ports,
    close: async () => {
      grpc.forceShutdown();
      await Promise.all([closeHttp(http), closeHttp(debug), config.close(), redis.close()]);
    },
  };
}

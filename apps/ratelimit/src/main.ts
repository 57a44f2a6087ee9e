import { createLogger, parseLogLevel, shutdownOnSignals } from '@trellis/shared';
import { startRateLimitService } from './service';
import { readSettings } from './settings';

// envoyproxy/ratelimit's role in Istio's rate-limit task: RLS gRPC on 8081, HTTP on 8080, debug on 6070,
// fixed windows in Redis, the ConfigMap's YAML as config (samples/ratelimit/rate-limit-service.yaml).
async function main(): Promise<void> {
  const logger = createLogger({ name: 'ratelimit', level: parseLogLevel(process.env['LOG_LEVEL']) });
  const service = await startRateLimitService(readSettings(process.env), logger);
  shutdownOnSignals([service], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'ratelimit' }).fatal({ err }, 'Failed to start the rate limit service');
  process.exit(1);
});

import type { AddressInfo } from 'node:net';
import { createLogger, shutdownOnSignals } from '@trellis/shared';
import { buildApp } from './app';
import { loadConfig } from './config';

// A Zipkin-API-compatible trace store with a trace list and waterfall UI (docs/observability.md).
async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ name: 'trace-store', level: config.logLevel });
  const { app } = buildApp({ logger, maxSpans: config.maxSpans, defaultLookbackMs: config.defaultLookbackMs });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port, maxSpans: config.maxSpans }, 'listening');
  shutdownOnSignals([app], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'trace-store' }).fatal({ err }, 'startup failed');
  process.exit(1);
});

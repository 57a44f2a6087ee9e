import { createLogger } from '@trellis/shared';
import { createHttpClient, runService } from '@trellis/bookinfo-common';
import { buildApp } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'reviews', level: config.logLevel, base: { version: config.serviceVersion, pod: config.podName } });
  const client = createHttpClient(config.proxy);
  const app = buildApp(config, { logger, client });
  app.addHook('onClose', () => client.close());
  logger.info({ ratingsEnabled: config.ratingsEnabled, starColor: config.starColor, ratings: config.ratingsService }, 'configured');
  await runService(app, { host: config.host, port: config.port }, logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'reviews' }).fatal({ err }, 'startup failed');
  process.exit(1);
});

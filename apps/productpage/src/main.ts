import { createLogger } from '@trellis/shared';
import { createHttpClient, runService } from '@trellis/bookinfo-common';
import { buildApp } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig(process.env, __dirname);
  const logger = createLogger({ name: 'productpage', level: config.logLevel, base: { version: 'v1' } });
  const client = createHttpClient(config.proxy);
  const app = await buildApp(config, { logger, client });
  app.addHook('onClose', () => client.close());
  logger.info(
    { details: config.details.origin, reviews: config.reviews.origin, ratings: config.ratings.origin, proxy: config.proxy.httpProxy ?? null },
    'configured',
  );
  await runService(app, { host: config.host, port: config.port }, logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'productpage' }).fatal({ err }, 'startup failed');
  process.exit(1);
});

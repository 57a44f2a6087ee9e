import { createLogger } from '@trellis/shared';
import { runService } from '@trellis/bookinfo-common';
import { buildApp } from './app';
import { loadConfig } from './config';
import { openDatabase } from './db/open-database';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'ratings', level: config.logLevel, base: { version: config.serviceVersion } });
  const database = config.serviceVersion === 'v2' ? openDatabase(config.database) : undefined;
  if (database !== undefined) logger.info({ backend: config.database.type }, 'ratings database chosen');
  const app = buildApp({ serviceVersion: config.serviceVersion, logger, database });
  await runService(app, { host: config.host, port: config.port }, logger);
}

main().catch((err: unknown) => {
  const logger = createLogger({ name: 'ratings' });
  logger.fatal({ err }, 'startup failed');
  process.exit(1);
});

import { createLogger } from '@trellis/shared';
import { runService } from '@trellis/bookinfo-common';
import { buildApp } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'details', level: config.logLevel, base: { version: 'v1' } });
  const app = buildApp({ logger });
  await runService(app, { host: config.host, port: config.port }, logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'details' }).fatal({ err }, 'startup failed');
  process.exit(1);
});

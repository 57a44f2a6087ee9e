import { CommanderError } from 'commander';
import { createLogger, shutdownOnSignals } from '@trellis/shared';
import { readConfig } from './config';
import { startControlPlane } from './control-plane';

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ name: 'control-plane', level: config.logLevel });
  const cp = await startControlPlane(config, logger);
  shutdownOnSignals([cp], logger, 5000);
}

main().catch((err: unknown) => {
  // commander has already printed the help, or what was wrong with the flags.
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`control plane failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

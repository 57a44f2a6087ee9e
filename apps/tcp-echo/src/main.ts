import { createLogger, parseLogLevel, shutdownOnSignals } from '@trellis/shared';
import { parseArgs } from './args';
import { startEchoServers } from './echo';

// Istio's tcp-echo-server: `tcp-echo 9000,9001 hello` answers every line on those ports with `hello <line>`.
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const logger = createLogger({ name: 'tcp-echo', level: parseLogLevel(process.env['LOG_LEVEL']), base: { prefix: args.prefix } });
  const servers = await startEchoServers({ ports: args.ports, prefix: args.prefix, logger });
  shutdownOnSignals([servers], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'tcp-echo' }).fatal({ err }, 'startup failed');
  process.exit(1);
});

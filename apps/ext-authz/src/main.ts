import { createLogger, parseLogLevel, shutdownOnSignals } from '@trellis/shared';
import { parseArgs } from './args';
import { startExtAuthz } from './server';

// Istio's samples/extauthz server: `ext-authz [-http 8000] [-grpc 9000] [-allow_service_account a]`.
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), process.env);
  const logger = createLogger({ name: 'ext-authz', level: parseLogLevel(process.env['LOG_LEVEL']) });
  const server = await startExtAuthz(args, logger);
  shutdownOnSignals([server], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'ext-authz' }).fatal({ err }, 'Failed to start the ext-authz server');
  process.exit(1);
});

import { createLogger, parseLogLevel, shutdownOnSignals } from '@trellis/shared';
import { parseArgs } from './args';
import { startJwtServer } from './jwks-server';

// Istio's samples/jwt-server: serves the JWKS of samples/jwt-server/key.pem on every path of :8000 (and :8443 with -cert/-key).
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), process.env);
  const logger = createLogger({ name: 'jwt-server', level: parseLogLevel(process.env['LOG_LEVEL']) });
  const server = await startJwtServer(args, logger);
  shutdownOnSignals([server], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'jwt-server' }).fatal({ err }, 'Failed to start the JWT server');
  process.exit(1);
});

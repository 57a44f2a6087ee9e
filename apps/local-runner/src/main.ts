import path from 'node:path';
import { CommanderError } from 'commander';
import { startLocalStack } from '@trellis/mesh-local';
import { createLogger, isTrellisError, errorMessage, parseLogLevel } from '@trellis/shared';
import { readConfig } from './config';
import { describeStartError } from './errors';

const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

let logsDir: string | undefined;

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '../../..');
  const config = readConfig(process.argv.slice(2), process.env, repoRoot);
  logsDir = (path.relative(process.cwd(), path.join(config.stateDir, 'logs')) || '.') + '/';
  const logger = createLogger({ name: 'local-runner', level: parseLogLevel(process.env['LOG_LEVEL'], 'warn') });
  const started = Date.now();
  out(`Trellis local mode — state in ${path.relative(process.cwd(), config.stateDir) || '.'}${config.reset ? ' (reset)' : ''}`);
  const stack = await startLocalStack(config, logger, out);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  out(`Bookinfo is ready: ${stack.gatewayUrl}/productpage   (started in ${seconds}s)`);
  const { host, port, securePort } = stack.ingress;
  out(`Ingress (Istio's variables): export INGRESS_HOST=${host} INGRESS_PORT=${port} SECURE_INGRESS_PORT=${securePort}`);
  out(`Apply routing with: npx trellis apply -f samples/bookinfo/networking/<file>.yaml   ·   Ctrl-C stops everything`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    out('Stopping: draining proxies and workloads…');
    void stack.stop().then(() => {
      out('Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // --help / --version: commander printed them; a bad flag: commander printed what is wrong.
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (isTrellisError(err) || err instanceof Error) out(describeStartError(err, logsDir));
  else out(`Error: ${errorMessage(err)}`);
  process.exit(1);
});

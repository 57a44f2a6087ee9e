import path from 'node:path';
import { CommanderError } from 'commander';
import { localStackRun } from '@trellis/mesh-local';
import { createLogger, isTrellisError, errorMessage, parseLogLevel } from '@trellis/shared';
import { readConfig } from './config';
import { describeStartError } from './errors';
import { handleStopSignals } from './signals';

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
  const run = localStackRun(config, logger, out);
  // before the first process starts: a signal at any point of start-up stops what has started
  const signals = handleStopSignals(run, out, (code) => process.exit(code));
  const stack = await run.start();
  signals.ready();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  out(`Bookinfo is ready: ${stack.gatewayUrl}/productpage   (started in ${seconds}s)`);
  const { host, port, securePort } = stack.ingress;
  out(`Ingress (Istio's variables): export INGRESS_HOST=${host} INGRESS_PORT=${port} SECURE_INGRESS_PORT=${securePort}`);
  out(`Apply routing with: npx trellis apply -f samples/bookinfo/networking/<file>.yaml   ·   Ctrl-C stops everything`);
}

main().catch((err: unknown) => {
  // --help / --version: commander printed them; a bad flag: commander printed what is wrong.
  if (err instanceof CommanderError) process.exit(err.exitCode);
  // stopped by a signal during start-up: the signal handler reports and exits once everything is down
  if (isTrellisError(err) && err.code === 'STACK_INTERRUPTED') return;
  if (isTrellisError(err) || err instanceof Error) out(describeStartError(err, logsDir));
  else out(`Error: ${errorMessage(err)}`);
  process.exit(1);
});

import { createLogger, errorMessage, shutdownOnSignals } from '@trellis/shared';
import { runCommand } from './cli';
import { server } from './server';

// A fortio-compatible load client (Istio's samples/httpbin/sample-client/fortio-deploy.yaml):
// `fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get`, `fortio curl URL`, `fortio server`.
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'server') {
    const srv = await server(argv.slice(1), process.stderr);
    shutdownOnSignals([srv], createLogger({ name: 'fortio' }));
    return;
  }
  process.exitCode = await runCommand(argv, { env: process.env, out: process.stdout, err: process.stderr });
}

main().catch((err: unknown) => {
  process.stderr.write(`fortio: ${errorMessage(err)}\n`);
  process.exit(1);
});

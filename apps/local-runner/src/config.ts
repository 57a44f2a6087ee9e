import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { LocalStackConfig } from '@trellis/mesh-local';
import { envOptional, type Env } from '@trellis/shared';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('not a port number');
  return port;
}

function parseBlock(value: string): string {
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(value)) throw new InvalidArgumentError('expected a loopback /24 prefix like 127.0.10');
  return value;
}

/** `npm start -- [flags]`: flags, then env, then defaults — read once, here. */
export function readConfig(argv: readonly string[], env: Env, repoRoot: string): LocalStackConfig {
  const program = new Command('trellis-local')
    .description('Run Bookinfo on the Trellis mesh locally: control plane, ingress gateway, six workloads with sidecars')
    .option('-p, --port <port>', 'ingress gateway port on the host', parsePort, Number(envOptional(env, 'TRELLIS_PORT') ?? 8080))
    .option('--host <address>', 'ingress gateway address on the host', envOptional(env, 'TRELLIS_HOST') ?? '127.0.0.1')
    .option('--state-dir <dir>', 'where applied config and logs live', envOptional(env, 'TRELLIS_STATE_DIR') ?? '.trellis')
    .option('--reset', 'forget applied config and start clean', false)
    .option('--address-block <prefix>', 'loopback /24 for the pods', parseBlock, envOptional(env, 'TRELLIS_ADDRESS_BLOCK') ?? '127.0.10')
    .option('--log-level <level>', 'log level of the components', envOptional(env, 'LOG_LEVEL') ?? 'info')
    .option('--access-log', 'proxies write Envoy-style access logs', false)
    .exitOverride()
    .parse([...argv], { from: 'user' });
  const o = program.opts<{ port: number; host: string; stateDir: string; reset: boolean; addressBlock: string; logLevel: string; accessLog: boolean }>();
  return {
    distDir: path.join(repoRoot, 'dist'),
    stateDir: path.resolve(o.stateDir),
    reset: o.reset,
    gatewayHost: o.host,
    gatewayPort: o.port,
    addressBlock: o.addressBlock,
    manifestPath: path.join(repoRoot, 'samples/bookinfo/platform/kube/bookinfo.yaml'),
    initialConfig: [path.join(repoRoot, 'samples/bookinfo/networking/bookinfo-gateway.yaml')],
    logLevel: o.logLevel,
    accessLog: o.accessLog,
    readyTimeoutMs: 30000,
  };
}

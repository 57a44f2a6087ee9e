import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { envOptional, envPort, parseLogLevel, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

/** The control plane's whole configuration, read once from flags and env. */
export interface ControlPlaneConfig {
  readonly host: string;
  /** xDS gRPC, plaintext (Istio: 15010). */
  readonly xdsPort: number;
  /** HTTP: config API, registry API, debug, metrics, readiness (Istio: 15014). */
  readonly httpPort: number;
  /** File config store directory (`<stateDir>/config`). */
  readonly stateDir: string;
  readonly debounceQuietMs: number;
  readonly debounceMaxMs: number;
  readonly logLevel: LevelWithSilent;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
}

function millis(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a duration in milliseconds');
  return n;
}

export function readConfig(argv: readonly string[], env: Env): ControlPlaneConfig {
  const o = new Command('trellis-control-plane')
    .option('--host <address>', 'listen address', envOptional(env, 'TRELLIS_HOST') ?? '0.0.0.0')
    .option('--xds-port <port>', 'xDS (ADS) gRPC port', port, envPort(env, 'TRELLIS_XDS_PORT', 15010))
    .option('--http-port <port>', 'HTTP API, debug and metrics port', port, envPort(env, 'TRELLIS_HTTP_PORT', 15014))
    .option('--state-dir <dir>', 'file config store directory', envOptional(env, 'TRELLIS_STATE_DIR') ?? '.trellis')
    .option('--debounce-quiet <ms>', 'push after this much quiet', millis, 100)
    .option('--debounce-max <ms>', 'push at the latest after this long', millis, 10000)
    .exitOverride()
    .parse([...argv], { from: 'user' })
    .opts<{ host: string; xdsPort: number; httpPort: number; stateDir: string; debounceQuiet: number; debounceMax: number }>();
  return {
    host: o.host,
    xdsPort: o.xdsPort,
    httpPort: o.httpPort,
    stateDir: path.resolve(o.stateDir),
    debounceQuietMs: o.debounceQuiet,
    debounceMaxMs: o.debounceMax,
    logLevel: parseLogLevel(envOptional(env, 'LOG_LEVEL')),
  };
}

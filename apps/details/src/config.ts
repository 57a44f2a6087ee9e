import { envPort, envString, parseLogLevel, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

export interface DetailsConfig {
  readonly host: string;
  readonly port: number;
  readonly logLevel: LevelWithSilent;
}

export function loadConfig(env: Env): DetailsConfig {
  return {
    host: envString(env, 'HOST', '0.0.0.0'),
    port: envPort(env, 'PORT', 9080),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}

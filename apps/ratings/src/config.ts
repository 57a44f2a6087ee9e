import { envPort, envString, parseLogLevel, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

export interface RatingsConfig {
  readonly host: string;
  readonly port: number;
  /** `v1` keeps ratings in memory; `v2` is database backed upstream (no database here). */
  readonly serviceVersion: string;
  readonly logLevel: LevelWithSilent;
}

export function loadConfig(env: Env): RatingsConfig {
  return {
    host: envString(env, 'HOST', '0.0.0.0'),
    port: envPort(env, 'PORT', 9080),
    serviceVersion: envString(env, 'SERVICE_VERSION', 'v1'),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}

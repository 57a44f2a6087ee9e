import { envPort, envString, parseLogLevel, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';
import { loadDatabaseConfig, type DatabaseConfig } from './db/database-config';

export interface RatingsConfig {
  readonly host: string;
  readonly port: number;
  /** `v1` keeps ratings in memory; `v2` reads them from `database`. */
  readonly serviceVersion: string;
  readonly logLevel: LevelWithSilent;
  /** v2's backend: `DB_TYPE=mysql` + `MYSQL_DB_*`, else MongoDB (`MONGO_DB_URL`, not reachable in this build). */
  readonly database: DatabaseConfig;
}

export function loadConfig(env: Env): RatingsConfig {
  return {
    host: envString(env, 'HOST', '0.0.0.0'),
    port: envPort(env, 'PORT', 9080),
    serviceVersion: envString(env, 'SERVICE_VERSION', 'v1'),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
    database: loadDatabaseConfig(env),
  };
}

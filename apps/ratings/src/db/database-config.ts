import { envOptional, type Env } from '@trellis/shared';

/** Upstream reads these only for SERVICE_VERSION=v2: `DB_TYPE=mysql` picks MySQL, anything else MongoDB. */
export type DatabaseConfig =
  | { readonly type: 'mysql'; readonly host: string | undefined; readonly port: number | undefined; readonly user: string | undefined; readonly password: string | undefined }
  | { readonly type: 'mongodb'; readonly url: string | undefined };

/** Unset or unparsable MYSQL_DB_PORT leaves the client's default (3306), as upstream's `mysql` does. */
function optionalPort(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export function loadDatabaseConfig(env: Env): DatabaseConfig {
  if (env['DB_TYPE'] !== 'mysql') return { type: 'mongodb', url: envOptional(env, 'MONGO_DB_URL') };
  return {
    type: 'mysql',
    host: envOptional(env, 'MYSQL_DB_HOST'),
    port: optionalPort(envOptional(env, 'MYSQL_DB_PORT')),
    user: envOptional(env, 'MYSQL_DB_USER'),
    password: env['MYSQL_DB_PASSWORD'],
  };
}

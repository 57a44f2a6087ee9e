import type { DatabaseConfig } from './database-config';
import { MysqlDatabase } from './mysql-database';
import type { RatingsDatabase } from './ratings-database';
import { UnreachableDatabase } from './unreachable-database';

/** The v2 backend the config names: MySQL, or the (absent) MongoDB. */
export function openDatabase(config: DatabaseConfig): RatingsDatabase {
  if (config.type === 'mysql') return new MysqlDatabase({ host: config.host, port: config.port, user: config.user, password: config.password });
  return new UnreachableDatabase(config.url);
}

import { loadDatabaseConfig } from './database-config';

describe('loadDatabaseConfig', () => {
  it('DB_TYPE=mysql reads MYSQL_DB_HOST/PORT/USER/PASSWORD', () => {
    const env = { DB_TYPE: 'mysql', MYSQL_DB_HOST: 'mysqldb', MYSQL_DB_PORT: '3306', MYSQL_DB_USER: 'root', MYSQL_DB_PASSWORD: 'password' };
    expect(loadDatabaseConfig(env)).toEqual({ type: 'mysql', host: 'mysqldb', port: 3306, user: 'root', password: 'password' });
  });

  it('leaves unset or unparsable MySQL settings to the client defaults', () => {
    expect(loadDatabaseConfig({ DB_TYPE: 'mysql', MYSQL_DB_PORT: 'x' })).toEqual({ type: 'mysql', host: undefined, port: undefined, user: undefined, password: undefined });
  });

  it('anything else is MongoDB (upstream default), with MONGO_DB_URL', () => {
    expect(loadDatabaseConfig({})).toEqual({ type: 'mongodb', url: undefined });
    expect(loadDatabaseConfig({ DB_TYPE: 'MYSQL', MONGO_DB_URL: 'mongodb://mongodb:27017/test' })).toEqual({ type: 'mongodb', url: 'mongodb://mongodb:27017/test' });
  });
});

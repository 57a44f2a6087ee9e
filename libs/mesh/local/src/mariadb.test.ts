import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findMariaDb, initSql, isMariaDbPod, mariadbdArgs } from './mariadb';
import type { PodPlan } from './plan';

const POD: PodPlan = {
  name: 'mysqldb-v1-abcdefghij-klmno',
  namespace: 'default',
  deployment: 'mysqldb-v1',
  ip: '127.0.10.16',
  labels: { app: 'mysqldb', version: 'v1' },
  serviceAccount: 'default',
  app: 'mysqldb',
  env: { MYSQL_ROOT_PASSWORD: 'password' },
  appEndpoints: { '3306': '127.0.10.16:13306' },
};

describe('mariadb for the mysqldb pod', () => {
  it('is chosen by the image (examples-bookinfo-mysqldb)', () => {
    expect(isMariaDbPod(POD)).toBe(true);
    expect(isMariaDbPod({ ...POD, app: 'ratings' })).toBe(false);
  });

  it("binds mariadbd to the app endpoint behind the sidecar, with the pod's own files", () => {
    const args = mariadbdArgs(POD, '/state/pods/mysqldb/mysql', ['--user=root']);
    expect(args).toEqual(
      expect.arrayContaining(['--no-defaults', '--user=root', '--bind-address=127.0.10.16', '--port=13306', '--datadir=/state/pods/mysqldb/mysql/data', '--socket=/state/pods/mysqldb/mysql/mysqld.sock', '--init-file=/state/pods/mysqldb/mysql/init.sql']),
    );
    expect(args[0]).toBe('--no-defaults');
  });

  it("init SQL: the entrypoint's root@% and root@localhost with MYSQL_ROOT_PASSWORD (quoted), then the init script", () => {
    const sql = initSql("pa'ss", 'CREATE DATABASE test;\n');
    expect(sql).toBe(
      "CREATE USER 'root'@'%' IDENTIFIED BY 'pa\\'ss';\nGRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;\nALTER USER 'root'@'localhost' IDENTIFIED BY 'pa\\'ss';\nCREATE DATABASE test;\n",
    );
  });

  it('MARIADB_MISSING names the binary and the Debian package when absent', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'no-mariadb-'));
    try {
      expect(() => findMariaDb([dir])).toThrow(expect.objectContaining({ code: 'MARIADB_MISSING', context: { missing: 'mariadbd', package: 'mariadb-server', install: 'apt-get install -y mariadb-server' } }));
      writeFileSync(path.join(dir, 'mariadbd'), '');
      expect(() => findMariaDb([dir])).toThrow(expect.objectContaining({ context: expect.objectContaining({ missing: 'mariadb-install-db' }) }));
      writeFileSync(path.join(dir, 'mariadb-install-db'), '');
      expect(findMariaDb([dir])).toEqual({ mariadbd: path.join(dir, 'mariadbd'), installDb: path.join(dir, 'mariadb-install-db') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the sample init script is the one Istio ships', () => {
    const sql = readFileSync(path.resolve(__dirname, '../../../../samples/bookinfo/src/mysql/mysqldb-init.sql'), 'utf8');
    expect(sql).toContain('INSERT INTO ratings (ReviewID, Rating) VALUES (1, 5);');
  });
});

/**
 * The `mysqldb` pod of bookinfo-mysql.yaml in local mode: a real mariadbd (Debian's mariadb-server)
 * with its own datadir under the state dir, bound to the pod's app endpoint (the sidecar owns
 * `podIP:3306`), initialised as Istio's examples-bookinfo-mysqldb image is: the mysql image's
 * entrypoint (root@% with MYSQL_ROOT_PASSWORD) then `mysqldb-init.sql`. Like the pod's emptyDir,
 * the datadir is fresh on every start.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TrellisError } from '@trellis/shared';
import type { PodPlan } from './plan';
import type { ProcessSpec } from './processes';

const run = promisify(execFile);

export const MARIADB_PACKAGE = 'mariadb-server';

/** Image app names served by mariadbd rather than a Bookinfo app. */
export const isMariaDbPod = (pod: PodPlan): boolean => pod.app === 'mysqldb';

export interface MariaDbBinaries {
  readonly mariadbd: string;
  readonly installDb: string;
}

/** PATH, then where Debian puts the binaries (a non-root PATH often lacks /usr/sbin). */
export function mariaDbSearchDirs(pathEnv = process.env['PATH'] ?? ''): string[] {
  return [...pathEnv.split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'].filter((d) => path.isAbsolute(d));
}

/** mariadbd and mariadb-install-db, or `MARIADB_MISSING` naming the Debian package to install. */
export function findMariaDb(dirs: readonly string[] = mariaDbSearchDirs()): MariaDbBinaries {
  const find = (name: string): string | undefined => dirs.map((d) => path.join(d, name)).find((file) => existsSync(file));
  const mariadbd = find('mariadbd');
  const installDb = find('mariadb-install-db');
  if (mariadbd === undefined || installDb === undefined) {
    const missing = mariadbd === undefined ? 'mariadbd' : 'mariadb-install-db';
    throw new TrellisError('MARIADB_MISSING', 'the mysqldb pod needs MariaDB', { missing, package: MARIADB_PACKAGE, install: `apt-get install -y ${MARIADB_PACKAGE}` });
  }
  return { mariadbd, installDb };
}

/** The SQL the image runs on an empty datadir: root's password (the entrypoint), then mysqldb-init.sql. */
export function initSql(rootPassword: string, initScript: string): string {
  const pw = rootPassword.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const root = [`CREATE USER 'root'@'%' IDENTIFIED BY '${pw}';`, `GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;`, `ALTER USER 'root'@'localhost' IDENTIFIED BY '${pw}';`];
  return root.join('\n') + '\n' + initScript;
}

const SMALL = ['--innodb-log-file-size=4M'];
const asRoot = (): string[] => (process.getuid?.() === 0 ? ['--user=root'] : []);

/** mariadbd's arguments: bound to the app endpoint only, socket and pid in the pod dir, small InnoDB. */
export function mariadbdArgs(pod: PodPlan, dir: string, user: readonly string[] = asRoot()): string[] {
  const endpoint = Object.values(pod.appEndpoints)[0] ?? `${pod.ip}:13306`;
  const colon = endpoint.lastIndexOf(':');
  const files = { datadir: path.join(dir, 'data'), socket: path.join(dir, 'mysqld.sock'), 'pid-file': path.join(dir, 'mysqld.pid'), 'init-file': path.join(dir, 'init.sql') };
  return [
    '--no-defaults',
    ...user,
    ...Object.entries(files).map(([k, v]) => `--${k}=${v}`),
    `--bind-address=${endpoint.slice(0, colon)}`,
    `--port=${endpoint.slice(colon + 1)}`,
    ...SMALL,
    '--innodb-buffer-pool-size=16M',
    '--skip-log-bin',
  ];
}

/** Fresh datadir (mariadb-install-db) and init file in `dir`; returns the mariadbd process to start. */
export async function prepareMariaDb(pod: PodPlan, dir: string, initScriptPath: string, bin: MariaDbBinaries): Promise<ProcessSpec> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const user = asRoot();
  const datadir = path.join(dir, 'data');
  try {
    await run(bin.installDb, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...SMALL, ...user]);
  } catch (err) {
    throw new TrellisError('MARIADB_INIT_FAILED', 'mariadb-install-db failed', { pod: pod.name, datadir, reason: err instanceof Error ? err.message : String(err) });
  }
  writeFileSync(path.join(dir, 'init.sql'), initSql(pod.env['MYSQL_ROOT_PASSWORD'] ?? '', readFileSync(initScriptPath, 'utf8')));
  return { name: pod.name, command: bin.mariadbd, script: '', args: mariadbdArgs(pod, dir, user), env: {} };
}

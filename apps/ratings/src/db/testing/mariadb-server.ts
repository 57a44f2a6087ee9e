/**
 * Test helper: a real mariadbd (Debian's mariadb-server) on a loopback port the test owns, with a
 * fresh datadir in a temp dir, root/password and the `test.ratings` rows of mysqldb-init.sql.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../../..');
export const INIT_SQL = path.join(ROOT, 'samples/bookinfo/src/mysql/mysqldb-init.sql');
const SEARCH = [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];

export function findBinary(name: string): string | undefined {
  return SEARCH.filter((d) => path.isAbsolute(d)).map((d) => path.join(d, name)).find((file) => existsSync(file));
}

export interface MariaDb {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function waitForPort(host: string, port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, host, () => resolve(s.destroy() !== undefined)).once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`mariadbd did not listen on ${host}:${port} within ${timeoutMs} ms (exit ${String(child.exitCode)})`);
}

export async function startMariaDb(host = '127.0.0.1'): Promise<MariaDb> {
  const mariadbd = findBinary('mariadbd');
  const installDb = findBinary('mariadb-install-db');
  if (mariadbd === undefined || installDb === undefined) throw new Error('mariadbd not found (apt-get install -y mariadb-server)');
  const work = mkdtempSync(path.join(tmpdir(), 'ratings-mariadb-'));
  try {
    return await startIn(work, host, mariadbd, installDb);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(work: string, host: string, mariadbd: string, installDb: string): Promise<MariaDb> {
  const datadir = path.join(work, 'data');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run(installDb, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--innodb-log-file-size=4M', ...user]);
  const init = path.join(work, 'init.sql');
  // As the mysql image's entrypoint does for MYSQL_ROOT_PASSWORD: root@% and root@localhost with it.
  const root = "CREATE USER 'root'@'%' IDENTIFIED BY 'password';\nGRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;\nALTER USER 'root'@'localhost' IDENTIFIED BY 'password';\n";
  writeFileSync(init, root + readFileSync(INIT_SQL, 'utf8'));
  const port = await freePort(host);
  const args = ['--no-defaults', ...user, `--datadir=${datadir}`, `--socket=${path.join(work, 'sock')}`, `--pid-file=${path.join(work, 'pid')}`, `--bind-address=${host}`, `--port=${port}`, `--init-file=${init}`, '--innodb-log-file-size=4M', '--innodb-buffer-pool-size=16M', '--skip-log-bin', `--log-error=${path.join(work, 'error.log')}`];
  const child = spawn(mariadbd, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitForPort(host, port, child, 20_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, port, stop };
}

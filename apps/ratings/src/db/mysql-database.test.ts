import { createServer } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MysqlDatabase } from './mysql-database';
import { RatingsDbError } from './ratings-database';
import { findBinary, startMariaDb, type MariaDb } from './testing/mariadb-server';

const run = promisify(execFile);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('MysqlDatabase without a server', () => {
  it('rejects with RATINGS_DB_CONNECT when nothing listens', async () => {
    const db = new MysqlDatabase({ host: '127.0.0.1', port: await closedPort(), user: 'root', password: 'password' });
    const err = await db.firstTwoRatings().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RatingsDbError);
    expect((err as RatingsDbError).code).toBe('RATINGS_DB_CONNECT');
    expect(String((err as RatingsDbError).context['reason'])).toMatch(/ECONNREFUSED/);
  });

  it('rejects with RATINGS_DB_CONNECT when the peer is no MySQL server (closes at once)', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const db = new MysqlDatabase({ host: '127.0.0.1', port, user: 'root', password: 'password', connectTimeoutMs: 2000 });
    await expect(db.firstTwoRatings()).rejects.toMatchObject({ code: 'RATINGS_DB_CONNECT' });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

const mariadbd = findBinary('mariadbd');
const describeWithMariaDb = mariadbd === undefined ? describe.skip : describe;
if (mariadbd === undefined) {
  process.stderr.write('skipping MysqlDatabase against a real mariadbd: mariadbd not found (apt-get install -y mariadb-server)\n');
}

describeWithMariaDb('MysqlDatabase against a real mariadbd (mysqldb-init.sql)', () => {
  let server: MariaDb;
  const sql = async (statement: string): Promise<void> => {
    const client = findBinary('mariadb') ?? 'mariadb';
    await run(client, [`-h${server.host}`, `-P${server.port}`, '-uroot', '-ppassword', 'test', '-e', statement]);
  };
  const database = (password = 'password'): MysqlDatabase => new MysqlDatabase({ host: server.host, port: server.port, user: 'root', password });

  beforeAll(async () => {
    server = await startMariaDb();
  }, 60_000);
  afterAll(async () => server?.stop());

  it('reads the first two rows: 5 and 4', async () => {
    await expect(database().firstTwoRatings()).resolves.toEqual({ reviewer1: 5, reviewer2: 4 });
  });

  it('follows the table: an updated row, a NULL rating, then a missing row reads as 0', async () => {
    await sql('UPDATE ratings SET Rating = 1 WHERE ReviewID = 1');
    await expect(database().firstTwoRatings()).resolves.toEqual({ reviewer1: 1, reviewer2: 4 });
    await sql('UPDATE ratings SET Rating = NULL WHERE ReviewID = 2');
    await expect(database().firstTwoRatings()).resolves.toEqual({ reviewer1: 1, reviewer2: null });
    await sql('DELETE FROM ratings WHERE ReviewID = 2');
    await expect(database().firstTwoRatings()).resolves.toEqual({ reviewer1: 1, reviewer2: 0 });
  });

  it('a wrong password is a connect error; a missing table is a select error', async () => {
    await expect(database('wrong').firstTwoRatings()).rejects.toMatchObject({ code: 'RATINGS_DB_CONNECT' });
    await sql('RENAME TABLE ratings TO ratings_gone');
    try {
      await expect(database().firstTwoRatings()).rejects.toMatchObject({ code: 'RATINGS_DB_SELECT' });
    } finally {
      await sql('RENAME TABLE ratings_gone TO ratings');
    }
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { request } from 'undici';
import { findMariaDb } from '@trellis/mesh-local';
import { controlPlaneAddress, removeStateDir, startStack, type TestStack } from './stack';
import { eventually, getPage, sample, trellis } from './user';

// Bookinfo's TCP path in local mode: `npm start -- --with mysql`, ratings v2-mysql reading a real
// mariadbd through ratings' sidecar (<podIP>_3306) and mysqldb's (inbound|3306||).
jest.setTimeout(120_000);

const run = promisify(execFile);
const mariadb = ((): string | undefined => {
  try {
    findMariaDb();
    return ['/usr/bin/mariadb', '/usr/local/bin/mariadb'].find((f) => existsSync(f)) ?? 'mariadb';
  } catch {
    return undefined;
  }
})();
if (mariadb === undefined) process.stderr.write('skipping local mode --with mysql: mariadbd not found (apt-get install -y mariadb-server)\n');
const describeWithMariaDb = mariadb === undefined ? describe.skip : describe;

let stack: TestStack;
const podIp = async (prefix: string): Promise<string> => {
  const res = await request(`${controlPlaneAddress(stack.stateDir)}/api/v1/registry/workloads`);
  const { items } = (await res.body.json()) as { items: { name: string; address: string }[] };
  const w = items.find((i) => i.name.startsWith(prefix));
  if (w === undefined) throw new Error(`no workload ${prefix}`);
  return w.address;
};
/** `<name>: N` summed over lines matching `pattern` in a proxy's admin /stats (admin on its pod address). */
async function stat(ip: string, name: string): Promise<number> {
  const res = await request(`http://${ip}:15000/stats`);
  const line = (await res.body.text()).split('\n').find((l) => l.startsWith(`${name}: `));
  return Number(line?.split(': ')[1] ?? 0);
}

describeWithMariaDb('local mode --with mysql: ratings v2 served from MariaDB through both sidecars', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'mysql'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    expect(code).toBe(0);
    removeStateDir(stack.stateDir);
  });

  it('starts 8 workloads including mysqldb-v1 and ratings-v2-mysql', () => {
    expect(stack.output()).toMatch(/mysqldb-v1 ready \(pod mysqldb-v1-\S+, 2\/2\)/);
    expect(stack.output()).toMatch(/ratings-v2-mysql ready/);
  });

  it('shows the stars stored in the ratings table, and follows an UPDATE; the TCP went ratings sidecar → mysqldb sidecar → mariadbd', async () => {
    const res = await trellis(stack.stateDir, 'apply', '-f', sample('destination-rule-all.yaml'), '-f', sample('virtual-service-ratings-mysql.yaml'));
    expect(res.code).toBe(0);
    await eventually(stack.gatewayUrl, (v) => v.color === 'red' && v.stars === 9, undefined, 10_000);
    const [ratingsIp, dbIp] = [await podIp('ratings-v2-mysql-'), await podIp('mysqldb-v1-')];
    const outbound = 'outbound|3306||mysqldb.default.svc.cluster.local';
    const before = { out: await stat(ratingsIp, `cluster.${outbound}.upstream_cx_total`), in: await stat(dbIp, 'cluster.inbound|3306||.upstream_cx_total') };

    await run(mariadb ?? 'mariadb', [`-h${dbIp}`, '-P13306', '-uroot', '-ppassword', 'test', '-e', 'UPDATE ratings SET Rating = 1 WHERE ReviewID = 1; UPDATE ratings SET Rating = 2 WHERE ReviewID = 2']);
    const page = await getPage(stack.gatewayUrl);
    expect([page.status, page.color, page.stars]).toEqual([200, 'red', 3]);

    const after = { out: await stat(ratingsIp, `cluster.${outbound}.upstream_cx_total`), in: await stat(dbIp, 'cluster.inbound|3306||.upstream_cx_total') };
    expect(after.out).toBeGreaterThan(before.out);
    expect(after.in).toBeGreaterThan(before.in);
    expect(await stat(ratingsIp, `tcp.${outbound}.downstream_cx_total`)).toBe(after.out);
    expect(await stat(ratingsIp, `cluster.${outbound}.upstream_cx_rx_bytes_total`)).toBeGreaterThan(0);
    expect(await stat(dbIp, 'tcp.inbound|3306||.downstream_cx_total')).toBe(after.in);
    process.stdout.write(`mysql e2e: startup ${stack.startupMs} ms; 3306 connections ratings sidecar ${after.out}, mysqldb sidecar ${after.in}\n`);
  });

  it('a missing table is upstream\'s select error on the page ("Ratings service is currently unavailable")', async () => {
    const dbIp = await podIp('mysqldb-v1-');
    await run(mariadb ?? 'mariadb', [`-h${dbIp}`, '-P13306', '-uroot', '-ppassword', 'test', '-e', 'RENAME TABLE ratings TO gone']);
    const page = await getPage(stack.gatewayUrl);
    expect(page.stars).toBe(0);
    expect(page.body).toContain('Ratings service is currently unavailable');
  });
});

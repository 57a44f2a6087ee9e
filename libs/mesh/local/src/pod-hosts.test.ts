import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MeshService } from '@trellis/mesh-api';
import type { PodPlan } from './plan';
import { hostsPreloadFile, podHostsFile, podHostsText, writePodHosts } from './pod-hosts';

const run = promisify(execFile);

const POD: PodPlan = {
  name: 'ratings-v2-mysql-abcdefghij-klmno',
  namespace: 'default',
  deployment: 'ratings-v2-mysql',
  ip: '127.0.0.1',
  labels: { app: 'ratings', version: 'v2-mysql' },
  serviceAccount: 'default',
  app: 'ratings',
  env: {},
  appEndpoints: { '9080': '127.0.0.1:19080' },
};
const service = (name: string, namespace: string, protocol: 'TCP' | 'HTTP'): MeshService => ({
  name,
  namespace,
  hostname: `${name}.${namespace}.svc.cluster.local`,
  ports: [{ name: protocol.toLowerCase(), port: 3306, targetPort: 3306, protocol }],
  selector: { app: name },
});

describe('pod hosts file', () => {
  it('points every TCP service name at the pod address, short names only in its own namespace, HTTP services not at all', () => {
    const text = podHostsText({ ...POD, ip: '127.0.10.17' }, [service('mysqldb', 'default', 'TCP'), service('ratings', 'default', 'HTTP'), service('cache', 'other', 'TCP')]);
    expect(text.split('\n')).toEqual([
      '127.0.0.1\tlocalhost',
      '127.0.10.17\tratings-v2-mysql-abcdefghij-klmno',
      '127.0.10.17\tmysqldb mysqldb.default mysqldb.default.svc mysqldb.default.svc.cluster.local',
      '127.0.10.17\tcache.other cache.other.svc cache.other.svc.cluster.local',
      '',
    ]);
  });
});

describe('hosts preload in a real node process', () => {
  let dir: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pod-hosts-'));
    server = createServer((s) => s.end('hello from the pod address'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
    writePodHosts(dir, POD, [service('mysqldb', 'default', 'TCP')]);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('net.connect, dns.lookup (all) and dns.promises.lookup resolve the pod names; other names fall through', async () => {
    const script = `
      const net = require('node:net'); const dns = require('node:dns');
      const s = net.connect(${port}, 'mysqldb.default.svc.cluster.local');
      let data = ''; s.on('data', (d) => (data += d));
      s.on('end', async () => {
        const all = await new Promise((r) => dns.lookup('MYSQLDB', { all: true }, (e, a) => r(a)));
        const p = await dns.promises.lookup('mysqldb');
        const v6 = await dns.promises.lookup('mysqldb', { family: 6 }).catch((e) => e.code);
        const other = await dns.promises.lookup('localhost', { family: 4 });
        process.stdout.write(JSON.stringify({ data, all, p, v6, other: other.address }));
      });`;
    const env = { PATH: process.env['PATH'] ?? '', TRELLIS_HOSTS_FILE: podHostsFile(dir, POD) };
    const { stdout } = await run(process.execPath, ['--require', hostsPreloadFile(dir), '-e', script], { env });
    expect(JSON.parse(stdout)).toEqual({
      data: 'hello from the pod address',
      all: [{ address: '127.0.0.1', family: 4 }],
      p: { address: '127.0.0.1', family: 4 },
      v6: expect.any(String),
      other: '127.0.0.1',
    });
    expect(readFileSync(podHostsFile(dir, POD), 'utf8')).toContain('127.0.0.1\tmysqldb mysqldb.default');
  });
});

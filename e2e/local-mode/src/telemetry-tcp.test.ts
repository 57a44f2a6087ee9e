import { findMariaDb } from '@trellis/mesh-local';
import { removeStateDir, startStack, type TestStack } from './stack';
import { pollValue, prometheusInstalled, promQuery } from './telemetry-support';
import { eventually, sample, trellis } from './user';

// Istio's TCP metrics task on local mode's `--with mysql`: ratings v2 → mysqldb (MariaDB) through both
// sidecars, counted by the real Prometheus. Needs Debian's prometheus and mariadb-server.
jest.setTimeout(180_000);
const mariadb = ((): boolean => {
  try {
    findMariaDb();
    return true;
  } catch {
    return false;
  }
})();
const ready = prometheusInstalled && mariadb;
if (!ready) process.stderr.write('telemetry TCP e2e skipped: needs prometheus and mariadb-server (apt-get install -y prometheus mariadb-server)\n');
const FROM_RATINGS = 'reporter="destination",source_workload="ratings-v2-mysql",destination_service="mysqldb.default.svc.cluster.local"';

(ready ? describe : describe.skip)('local mode TCP metrics: ratings v2 → MySQL in Prometheus', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'mysql'] });
  });
  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
    removeStateDir(stack.stateDir);
  });

  it('istio_tcp_connections_opened_total and the byte counters carry source ratings-v2-mysql and destination mysqldb over mTLS', async () => {
    const res = await trellis(stack.stateDir, 'apply', '-f', sample('destination-rule-all.yaml'), '-f', sample('virtual-service-ratings-mysql.yaml'));
    expect(res.code).toBe(0);
    await eventually(stack.gatewayUrl, (v) => v.color === 'red' && v.stars === 9, undefined, 10_000);
    const prom = `http://${stack.addressBlock}.1:9090`;
    expect(await pollValue(prom, `sum(istio_tcp_connections_opened_total{${FROM_RATINGS}})`, (v) => v > 0)).toBeGreaterThan(0);
    expect(await pollValue(prom, `sum(istio_tcp_sent_bytes_total{${FROM_RATINGS}})`, (v) => v > 0)).toBeGreaterThan(0);
    expect(await pollValue(prom, `sum(istio_tcp_received_bytes_total{${FROM_RATINGS}})`, (v) => v > 0)).toBeGreaterThan(0);
    const [row] = await promQuery(prom, `istio_tcp_connections_opened_total{${FROM_RATINGS}}`);
    expect(row?.metric).toMatchObject({ destination_workload: 'mysqldb-v1', connection_security_policy: 'mutual_tls', source_app: 'ratings' });
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildNamespacesGraph } from '../graph/build-graph';
import { parseGraphOptions } from '../graph/graph-options';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, bookinfoRows } from '../testing/bookinfo-traffic';
import { startExporter, type FixtureExporter } from '../testing/fixture-exporter';
import { prometheusBinary, startPrometheus, type PrometheusProcess } from '../testing/prometheus-process';
import { inProcessSource } from './in-process-source';
import { prometheusSource } from './prometheus-source';
import { namespaceSelectors, responseTimeQueries, securityQueries, trafficQueries } from '../graph/graph-queries';
import { bookinfoInventory } from '../testing/test-app';
import type { Sample } from '../inventory';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const describeProm = prometheusBinary === undefined ? describe.skip : describe;

describeProm('prometheusSource against the real prometheus binary scraping a fixture exporter', () => {
  let exporter: FixtureExporter;
  let prom: PrometheusProcess;

  beforeAll(async () => {
    exporter = await startExporter(bookinfoRows());
    prom = await startPrometheus([exporter.address]);
    // Prometheus applies new targets after up to 5 s; then a few 1 s scrapes fill a 4 s rate window.
    const deadline = Date.now() + 30_000;
    while (exporter.scrapes < 6 && Date.now() < deadline) await sleep(250);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await exporter?.close();
  });

  it('answers the graph queries: Bookinfo’s nodes and rates from Istio-labelled series', async () => {
    const source = prometheusSource({ url: prom.url, timeoutMs: 3000 });
    const opts = parseGraphOptions({ namespaces: 'default', duration: '4s', graphType: 'versionedApp', injectServiceNodes: 'true', boxBy: 'app', appenders: 'deadNode,istio' }, Math.floor(Date.now() / 1000), true);
    const g = await buildNamespacesGraph(opts, {
      query: (q, t) => source.query(q, t),
      inventory: { workloads: BOOKINFO_WORKLOADS, services: BOOKINFO_SERVICES },
      visible: new Set(['default', 'istio-system']),
      cluster: 'Kubernetes',
    });
    const names = g.elements.nodes.map((n) => `${n.data.nodeType}:${String(n.data['workload'] ?? n.data['service'] ?? n.data['app'])}`).sort();
    expect(names).toEqual(
      ['box:productpage', 'box:details', 'box:reviews', 'box:ratings', 'app:istio-ingressgateway', 'service:productpage', 'app:productpage-v1', 'service:details', 'app:details-v1', 'service:reviews', 'app:reviews-v1', 'app:reviews-v2', 'app:reviews-v3', 'service:ratings', 'app:ratings-v1'].sort(),
    );
    expect(g.elements.edges).toHaveLength(11);
    const ingress = g.elements.nodes.find((n) => n.data['workload'] === 'istio-ingressgateway');
    const out = Number((ingress?.data['traffic'] as { rates: Record<string, string> }[])[0]?.rates['httpOut']);
    expect(out).toBeGreaterThan(8);
    expect(out).toBeLessThan(12);
  });

  it('range queries come back as [seconds, value] series', async () => {
    const source = prometheusSource({ url: prom.url });
    const end = Math.floor(Date.now() / 1000);
    const series = await source.queryRange('round(sum(rate(istio_requests_total{reporter="source"}[3s])), 0.001)', end - 4, end, 1);
    expect(series).toHaveLength(1);
    expect(series[0]!.values.length).toBeGreaterThanOrEqual(3);
    const last = series[0]!.values[series[0]!.values.length - 1]!;
    expect(last[1]).toBeGreaterThan(25); // 33.4 req/s reported by sources
  });

  it('the in-process evaluator agrees with Prometheus on the graph queries (or, sum by, histogram_quantile)', async () => {
    const local = inProcessSource({ inventory: bookinfoInventory(), intervalMs: 1000, statsUrl: () => `http://${exporter.address}/stats/prometheus` });
    try {
      await sleep(4500);
      const remote = prometheusSource({ url: prom.url });
      const queries = [...trafficQueries(namespaceSelectors('default'), '3s').map((q) => q.promql), ...securityQueries('default', '3s'), ...responseTimeQueries(namespaceSelectors('default'), '3s', 0.95)];
      const t = Math.floor(Date.now() / 1000);
      const byLabels = (xs: Sample[]): Map<string, number> => new Map(xs.map((x) => [JSON.stringify(Object.entries(x.metric).filter(([k]) => k !== 'instance' && k !== 'job').sort()), x.value]));
      let answered = 0;
      for (const q of queries) {
        const [a, b] = await Promise.all([remote.query(q, t), local.query(q, t)]);
        if (a.length > 0) answered++;
        const [ra, rb] = [byLabels(a), byLabels(b)];
        expect([...rb.keys()].sort()).toEqual([...ra.keys()].sort());
        // Prometheus extrapolates a rate to the window's edges; the in-process store divides the increase by the
        // time between its first and last sample. With scrapes 1 s apart on a loaded machine they differ by a
        // few percent, so the values must agree within 10 % (the label sets exactly, above).
        for (const [k, v] of ra) expect(Math.abs((rb.get(k) ?? Number.NaN) - v)).toBeLessThanOrEqual(Math.max(0.5, Math.abs(v) * 0.1));
      }
      expect(answered).toBe(6); // queries 2, 3, both security queries, response times 2 and 3
    } finally {
      local.close();
    }
  }, 20_000);

  it('a query Prometheus rejects is an empty answer, not an exception', async () => {
    await expect(prometheusSource({ url: prom.url }).query('sum(', 1)).resolves.toEqual([]);
  });
});

describe('prometheusSource when Prometheus is down or slow', () => {
  it('down: empty answers at once', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const source = prometheusSource({ url: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    await expect(source.query('up', 1)).resolves.toEqual([]);
    await expect(source.queryRange('up', 1, 2, 1)).resolves.toEqual([]);
  });

  it('slow: empty answers within the timeout', async () => {
    const hung: Server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    try {
      const source = prometheusSource({ url: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`, timeoutMs: 300 });
      const t0 = Date.now();
      await expect(source.query('up', 1)).resolves.toEqual([]);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((r) => hung.close(() => r()));
    }
  });
});

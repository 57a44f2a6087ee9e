import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { InventoryWorkload } from '../inventory';
import { BOOKINFO_WORKLOADS, bookinfoRows } from '../testing/bookinfo-traffic';
import { startExporter, type FixtureExporter } from '../testing/fixture-exporter';
import { bookinfoInventory, testApp } from '../testing/test-app';
import { inProcessSource } from './in-process-source';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('inProcessSource scraping real HTTP exporters', () => {
  let exporters: FixtureExporter[] = [];
  let hung: Server;
  let app: FastifyInstance;
  let source: ReturnType<typeof inProcessSource>;

  beforeAll(async () => {
    const rows = bookinfoRows().filter((r) => r.metric === 'istio_requests_total');
    // Each reporter's series from its own pod, as the sidecars export them.
    const reporterPod = (r: (typeof rows)[number]): string => (r.labels['reporter'] === 'source' ? r.labels['source_workload'] : r.labels['destination_workload']) as string;
    const urls = new Map<string, string>();
    for (const w of BOOKINFO_WORKLOADS) {
      const mine = rows.filter((r) => reporterPod(r) === w.name);
      const ex = await startExporter(mine);
      exporters.push(ex);
      urls.set(w.pods[0]!.name, `http://${ex.address}/stats/prometheus`);
    }
    hung = createServer(() => undefined);
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const stuck: InventoryWorkload = { ...BOOKINFO_WORKLOADS[1]!, name: 'stuck-v1', app: 'stuck', pods: [{ name: 'stuck-v1-5d8f7c9b6c-aaaaa', address: '127.0.0.1', ready: true }] };
    urls.set(stuck.pods[0]!.name, `http://127.0.0.1:${(hung.address() as AddressInfo).port}/stats/prometheus`);
    const inventory = bookinfoInventory([...BOOKINFO_WORKLOADS, stuck]);
    // Fixture pods share one pod name pattern; map each to its exporter.
    const byPod = new Map([...BOOKINFO_WORKLOADS, stuck].map((w) => [w.pods[0]!, urls.get(w.pods[0]!.name) as string]));
    source = inProcessSource({ inventory, intervalMs: 250, fetchTimeoutMs: 300, statsUrl: (pod) => byPod.get(pod) as string });
    app = await testApp(source, inventory, Date.now);
    const deadline = Date.now() + 10_000;
    while (exporters.some((e) => e.scrapes < 5) && Date.now() < deadline) await sleep(100);
  }, 20_000);

  afterAll(async () => {
    source.close();
    await app.close();
    await Promise.all(exporters.map((e) => e.close()));
    hung.closeAllConnections();
    await new Promise<void>((r) => hung.close(() => r()));
    exporters = [];
  });

  it('scrapes every pod on its interval, a hung pod bounded by the fetch timeout', () => {
    for (const e of exporters) expect(e.scrapes).toBeGreaterThanOrEqual(5);
  });

  it('answers the versionedApp graph like Prometheus would', async () => {
    const res = await app.inject({ url: '/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp&injectServiceNodes=true&boxBy=app&duration=1s&appenders=deadNode,istio,securityPolicy' });
    expect(res.statusCode).toBe(200);
    const g = res.json() as { elements: { nodes: { data: Record<string, unknown> }[]; edges: { data: Record<string, unknown> }[] } };
    expect(g.elements.nodes).toHaveLength(15);
    expect(g.elements.edges).toHaveLength(11);
    const ratings = g.elements.nodes.find((n) => n.data['workload'] === 'ratings-v1')!;
    const rates = (ratings.data['traffic'] as { rates: Record<string, string> }[])[0]!.rates;
    // 6.6 req/s by the fixture; the band absorbs scrape jitter on a loaded CI machine (2 cores,
    // many suites) while still catching a wrong window or unit.
    expect(Number(rates['httpIn'])).toBeGreaterThan(4.6);
    expect(Number(rates['httpIn'])).toBeLessThan(8.6);
    expect(Number(rates['httpIn5xx'])).toBeGreaterThan(0.1);
    expect(g.elements.edges.every((e) => e.data['isMTLS'] === '100')).toBe(true);
  });

  it('answers health and metrics queries', async () => {
    const health = (await app.inject({ url: '/kiali/api/namespaces/default/health?type=service&rateInterval=1s' })).json() as Record<string, { requests: { inbound: { http?: Record<string, number> } } }>;
    expect(health['ratings']!.requests.inbound.http!['503']).toBeGreaterThan(0.1);
    const now = Math.floor(Date.now() / 1000);
    const metrics = (await app.inject({ url: `/kiali/api/namespaces/default/metrics?filters[]=request_count&queryTime=${now}&duration=2&step=1&rateInterval=1s&direction=inbound&reporter=destination` })).json() as Record<string, { datapoints: [number, string][] }[]>;
    expect(metrics['request_count']).toHaveLength(1);
    expect(Number(metrics['request_count']![0]!.datapoints.at(-1)![1])).toBeGreaterThan(30);
  });

  it('PromQL outside its subset is an empty answer, not an exception', async () => {
    await expect(source.query('count_values("x", up)', Date.now() / 1000)).resolves.toEqual([]);
  });
});

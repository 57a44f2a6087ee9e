import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { removeStateDir, startStack, type TestStack } from './stack';
import { accessLines, CHROMIUM, pollValue, prometheusInstalled, promQuery, promValue, proxyLog, requestIdOf, sleep, traceRoots, traceServices, writeMeshConfig, zipkinTraces, type ZipkinSpan } from './telemetry-support';
import { eventually, getPage, sample, trellis } from './user';

// Istio's observability tasks on Bookinfo in local mode (docs/observability.md): the runner's Prometheus
// (Debian's binary) and trace store, mesh.yaml as the demo profile sets it (access logs to stdout, 100 %
// sampling). Metrics need Debian's prometheus: without it those cases are skipped and say so.
jest.setTimeout(180_000);
if (!prometheusInstalled) process.stderr.write('telemetry e2e: Prometheus cases skipped: no prometheus binary (apt-get install -y prometheus)\n');
const withProm = prometheusInstalled ? it : it.skip;
const withBrowser = prometheusInstalled && existsSync(CHROMIUM) ? it : it.skip;
const N = 20;
const V3 = 'istio_requests_total{reporter="destination",destination_service="reviews.default.svc.cluster.local",destination_version="v3"}';

let stack: TestStack;
let prom: string;
let zipkin: string;

beforeAll(async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-e2e-telemetry-'));
  writeMeshConfig(stateDir, 'accessLogFile: /dev/stdout\nenableTracing: true\ndefaultConfig:\n  tracing:\n    sampling: 100\n');
  stack = await startStack({ stateDir });
  const cp = `http://${stack.addressBlock}.1`;
  [prom, zipkin] = [`${cp}:9090`, `${cp}:9411`];
  const routed = await trellis(stack.stateDir, 'apply', '-f', sample('destination-rule-all.yaml'), '-f', sample('virtual-service-reviews-v3.yaml'));
  expect(routed.code).toBe(0);
  await eventually(stack.gatewayUrl, (v) => v.color === 'red', undefined, 10_000);
});
afterAll(async () => {
  expect(await stack?.stop()).toBe(0);
  removeStateDir(stack.stateDir);
});

describe('local mode telemetry: Prometheus, the trace store, access logs', () => {
  it('the runner starts the trace store (zipkin.istio-system:9411) and Prometheus; trellis dashboard prints their URLs', async () => {
    expect(stack.output()).toContain(`✔ Zipkin (trace store) ready (${zipkin}, zipkin.istio-system:9411)`);
    const z = await trellis(stack.stateDir, 'dashboard', 'zipkin', '--browser=false');
    expect([z.code, z.stdout]).toEqual([0, `${zipkin}\nskipping opening a browser\n`]);
    if (!prometheusInstalled) return expect(stack.output()).toContain('apt-get install -y prometheus');
    expect(stack.output()).toMatch(/✔ Prometheus ready \(http:\/\/\S+:9090, scraping \d+ proxies every 2s\)/);
    const p = await trellis(stack.stateDir, 'dashboard', 'prometheus', '--browser=false');
    expect([p.code, p.stdout]).toEqual([0, `${prom}\nskipping opening a browser\n`]);
  });

  withProm(`after ${N} requests, Prometheus counts exactly ${N} more for reviews v3 (reporter=destination)`, async () => {
    await sleep(5_000); // two scrapes after the convergence traffic: the baseline is stable
    const before = await promValue(prom, `sum(${V3})`);
    for (let i = 0; i < N; i++) expect((await getPage(stack.gatewayUrl)).status).toBe(200);
    const after = await pollValue(prom, `sum(${V3})`, (v) => v >= before + N);
    expect(after - before).toBe(N);
  });

  withProm('Istio’s four example queries return Bookinfo’s series', async () => {
    expect((await promQuery(prom, 'istio_requests_total')).length).toBeGreaterThan(0);
    expect((await promQuery(prom, 'istio_requests_total{destination_service="productpage.default.svc.cluster.local"}')).length).toBeGreaterThan(0);
    expect((await promQuery(prom, 'istio_requests_total{destination_service="reviews.default.svc.cluster.local", destination_version="v3"}')).length).toBeGreaterThan(0);
    // rate() needs two scrapes of an increase inside the window: poll (bounded) rather than assume one has happened.
    const RATE = 'rate(istio_requests_total{destination_service=~"productpage.*", response_code="200"}[5m])';
    expect(await pollValue(prom, `sum(${RATE})`, (v) => v > 0)).toBeGreaterThan(0);
    expect((await promQuery(prom, RATE)).some((s) => Number(s.value[1]) > 0)).toBe(true);
  });

  withProm('reporter=destination rows for reviews carry source_workload="productpage-v1" and connection_security_policy="mutual_tls"', async () => {
    const rows = await promQuery(prom, V3);
    expect(rows.length).toBeGreaterThan(0);
    for (const { metric } of rows) {
      expect(metric).toMatchObject({ source_workload: 'productpage-v1', source_app: 'productpage', destination_workload: 'reviews-v3', destination_app: 'reviews', connection_security_policy: 'mutual_tls', response_code: '200', request_protocol: 'http' });
      expect(metric['source_principal']).toBe('spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
    }
    const gateway = await promQuery(prom, 'istio_requests_total{reporter="source",source_workload="istio-ingressgateway",destination_service="productpage.default.svc.cluster.local"}');
    expect(gateway.length).toBeGreaterThan(0);
  });

  it('100 requests at 100 % sampling: traces with gateway, productpage, details, reviews and ratings spans in one tree', async () => {
    for (let i = 0; i < 100; i++) expect((await getPage(stack.gatewayUrl)).status).toBe(200);
    const want = ['istio-ingressgateway.istio-system', 'productpage.default', 'details.default', 'reviews.default', 'ratings.default'];
    // Each proxy reports its spans in batches, and a server span ends after its children: a trace can be
    // in the store before its parent spans are. Wait (bounded) for one that is whole.
    const whole = (t: readonly ZipkinSpan[]): boolean => want.every((s) => traceServices(t).has(s)) && traceRoots(t).length === 1;
    let full: ZipkinSpan[] | undefined;
    for (let i = 0; i < 20 && full === undefined; i++) {
      const traces = await zipkinTraces(zipkin, 'serviceName=productpage.default&limit=100&lookback=600000');
      full = traces.find(whole);
      if (full === undefined) await sleep(500);
    }
    expect(full).toBeDefined();
    expect(traceRoots(full ?? [])).toHaveLength(1);
    expect(traceRoots(full ?? [])[0]?.localEndpoint?.serviceName).toBe('istio-ingressgateway.istio-system');
  });

  it('access logs (meshConfig.accessLogFile=/dev/stdout) on both sides of productpage → details share the x-request-id', async () => {
    await getPage(stack.gatewayUrl);
    await sleep(500);
    const client = accessLines(proxyLog(stack.stateDir, 'productpage-v1'), 'outbound|9080||details.default.svc.cluster.local');
    const server = accessLines(proxyLog(stack.stateDir, 'details-v1'), 'inbound|9080||');
    expect(client.length).toBeGreaterThan(0);
    expect(server.length).toBeGreaterThan(0);
    const serverIds = new Set(server.map(requestIdOf));
    const shared = client.map(requestIdOf).filter((id) => id !== undefined && id !== '-' && serverIds.has(id));
    expect(shared.length).toBeGreaterThan(0);
  });

  withBrowser('in chromium: Prometheus’s classic /graph evaluates istio_requests_total; the trace store lists a Bookinfo trace', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage();
      // /graph redirects to Debian's classic UI (/classic/graph), keeping the query: tab 1 is the table view.
      await page.goto(`${prom}/graph?g0.expr=istio_requests_total&g0.tab=1`);
      expect(page.url()).toContain('/classic/graph');
      await page.click('input.execute_btn');
      await page.waitForFunction("document.querySelector('.console_table tbody').textContent.includes('istio_requests_total{')", undefined, { timeout: 15_000 });
      expect(await page.locator('.console_table tbody tr').count()).toBeGreaterThan(0);
      // Each proxy reports its spans in batches (Envoy's flush policy: 5 spans or 5 s), so the newest
      // trace may not have its gateway span yet: reload (bounded) until a listed trace has it.
      let rows: string[] = [];
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(1_000)) {
        await page.goto(`${zipkin}/zipkin/?serviceName=productpage.default`);
        rows = await page.locator('tr.trace-row').allTextContents();
        if (rows.some((row) => row.includes('istio-ingressgateway.istio-system'))) break;
      }
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((row) => row.includes('istio-ingressgateway.istio-system'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});

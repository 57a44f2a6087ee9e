import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '@trellis/mesh-local';
import { drawnGraph, edgeLabels, label, steadyTraffic, waitForGraph, watchPage } from './kiali-support';
import { removeStateDir, startStack, type TestStack } from './stack';
import { CHROMIUM, prometheusInstalled } from './telemetry-support';
import { sample, trellis } from './user';

// The real Kiali UI (@kiali/kiali-ui 1.31.0, tools/kiali-ui/fetch.mjs) on `npm start`'s Kiali addon, in
// Debian's chromium driven by playwright-core, with Bookinfo traffic flowing (docs/observability.md, Kiali).
jest.setTimeout(300_000);
const UI = path.join(process.env['TRELLIS_CACHE_DIR'] ?? path.join(process.env['HOME'] ?? '/root', '.cache', 'trellis'), 'kiali-ui-1.31.0', 'build', 'index.html');
const ready = existsSync(CHROMIUM) && prometheusInstalled && existsSync(UI);
if (!ready) process.stderr.write(`kiali e2e skipped: needs ${CHROMIUM}, Debian's prometheus and the Kiali UI (node tools/kiali-ui/fetch.mjs)\n`);
const maybe = ready ? describe : describe.skip;

const GRAPH = '/console/graph/namespaces/?namespaces=default&graphType=versionedApp&duration=60&refresh=15000';
const BOOKINFO_EDGES = [
  'istio-ingressgateway latest → svc:productpage',
  'productpage v1 → svc:details',
  'productpage v1 → svc:reviews',
  'reviews v2 → svc:ratings',
  'reviews v3 → svc:ratings',
  'svc:details → details v1',
  'svc:productpage → productpage v1',
  'svc:ratings → ratings v1',
  'svc:reviews → reviews v1',
  'svc:reviews → reviews v2',
  'svc:reviews → reviews v3',
];

maybe('Kiali UI on local mode', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let kiali: string;
  let traffic: { stop(): void };
  let watched: { problems: string[] };
  const shots = mkdtempSync(path.join(tmpdir(), 'trellis-kiali-shots-'));

  beforeAll(async () => {
    stack = await startStack({ args: ['--kiali-port', String(await freePort())] });
    kiali = /✔ Kiali ready \((http:\/\/\S+)\/kiali,/.exec(stack.output())?.[1] ?? '';
    expect(kiali).not.toBe('');
    traffic = steadyTraffic(`${stack.gatewayUrl}/productpage`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    watched = watchPage(page, kiali);
    process.stdout.write(`kiali e2e: screenshots in ${shots}\n`);
  }, 150_000);
  afterAll(async () => {
    traffic?.stop();
    await browser?.close();
    expect(await stack?.stop()).toBe(0);
    removeStateDir(stack.stateDir);
  });

  it("the versioned-app graph of default shows Bookinfo's nodes and its 11 edges with traffic", async () => {
    const graph = await waitForGraph(page, kiali + '/kiali' + GRAPH, (g) => g.edges.filter((e) => e.hasTraffic).length === 11, 120_000);
    await page.screenshot({ path: path.join(shots, 'graph-versioned-app.png') });
    expect(edgeLabels(graph)).toEqual(BOOKINFO_EDGES);
    const nodes = graph.nodes.map(label).sort();
    expect(nodes).toEqual([
      'box:details', 'box:productpage', 'box:ratings', 'box:reviews',
      'details v1', 'istio-ingressgateway latest', 'productpage v1', 'ratings v1', 'reviews v1', 'reviews v2', 'reviews v3',
      'svc:details', 'svc:productpage', 'svc:ratings', 'svc:reviews',
    ]);
    expect(await page.locator('[data-node-id]').count()).toBe(15);
    const summary = await page.locator('body').innerText();
    expect(summary).toContain('5 apps (7 versions)');
    expect(summary).toContain('11 edges');
    expect(graph.nodes.filter((n) => n.nodeType === 'app' && n.app !== 'istio-ingressgateway').map((n) => n.healthStatus)).toEqual(Array(6).fill('Healthy'));
  });

  it('Overview shows the default namespace healthy, with its four applications', async () => {
    await page.goto(kiali + '/kiali/console/overview');
    const apps = page.locator('a[href$="/kiali/console/applications?namespaces=default"]').first();
    await apps.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(2000);
    expect(await apps.locator('svg').getAttribute('class')).toBe('icon-healthy');
    expect(await apps.innerText()).toContain('4');
    await page.screenshot({ path: path.join(shots, 'overview.png') });
  });

  it('the Traffic Shifting wizard creates the VirtualService that trellis get vs lists', async () => {
    await page.goto(kiali + '/kiali/console/namespaces/default/services/reviews');
    // The actions are enabled once the service details (workloads, permissions) have loaded.
    await page.getByText('Workloads (3)').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Actions', exact: true }).first().click();
    await page.getByText('Traffic Shifting', { exact: true }).click();
    const weights = page.locator('[role=dialog] input[aria-label=slider-text]');
    await weights.first().waitFor();
    expect(await weights.count()).toBe(3);
    for (const [i, w] of ['10', '90', '0'].entries()) {
      await weights.nth(i).fill(w);
      await weights.nth(i).press('Tab');
    }
    await page.screenshot({ path: path.join(shots, 'wizard.png') });
    await page.locator('[role=dialog] button', { hasText: /^Create$/ }).click();
    await page.locator('[role=dialog]').waitFor({ state: 'detached', timeout: 10_000 });
    const vs = await trellis(stack.stateDir, 'get', 'vs', 'reviews', '-o', 'json');
    expect(vs.code).toBe(0);
    const route = (JSON.parse(vs.stdout) as { spec: { http: { route: { destination: { subset: string }; weight: number }[] }[] } }).spec.http[0]?.route;
    expect(route?.map((r) => `${r.destination.subset}=${r.weight}`)).toEqual(['v1=10', 'v2=90', 'v3=0']);
    expect((await trellis(stack.stateDir, 'get', 'vs')).stdout).toMatch(/^reviews\s/m);
  });

  it('Istio Config lists the applied VirtualServices; after virtual-service-all-v1 the reviews v2/v3 edges go idle', async () => {
    const applied = await trellis(stack.stateDir, 'apply', '-f', sample('destination-rule-all.yaml'), '-f', sample('virtual-service-all-v1.yaml'));
    expect(applied.code).toBe(0);
    await page.goto(kiali + '/kiali/console/istio?namespaces=default');
    await page.getByText('ratings', { exact: true }).first().waitFor({ timeout: 20_000 });
    const text = await page.locator('body').innerText();
    for (const name of ['bookinfo', 'productpage', 'reviews', 'ratings', 'details']) expect(text).toMatch(new RegExp(`VS\\s*${name}\\b`));
    await page.screenshot({ path: path.join(shots, 'istio-config.png') });
    const toV2V3 = (labels: string[]): string[] => labels.filter((l) => /reviews v[23]$/.test(l) || /^reviews v[23] /.test(l));
    const graph = await waitForGraph(page, kiali + '/kiali' + GRAPH, (g) => toV2V3(edgeLabels({ ...g, edges: g.edges.filter((e) => e.hasTraffic) })).length === 0, 150_000);
    expect(edgeLabels({ ...graph, edges: graph.edges.filter((e) => e.hasTraffic) })).toContain('svc:reviews → reviews v1');
    await page.screenshot({ path: path.join(shots, 'graph-all-v1.png') });
    expect(await drawnGraph(page)).toBeDefined();
  });

  it('no console errors and no 4xx/5xx answers from Kiali along the way', () => {
    expect(watched.problems).toEqual([]);
  });
});

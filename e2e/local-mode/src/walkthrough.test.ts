import { getPage, login, sample, trellis, type PageView } from './user';
import { removeStateDir, startStack, type TestStack } from './stack';

// The walkthrough of docs/walkthrough.md, step by step, as a user would do it in local mode.
jest.setTimeout(120_000);

let stack: TestStack;
let jason: string;

async function pages(n: number, cookie?: string): Promise<PageView[]> {
  const out: PageView[] = [];
  for (let i = 0; i < n; i++) out.push(await getPage(stack.gatewayUrl, cookie));
  return out;
}

/** Applies a sample and waits until `n` consecutive pages satisfy `ok` (returns ms until then). */
async function applyAndSettle(file: string, ok: (v: PageView) => boolean, cookie?: string, n = 6): Promise<number> {
  const started = Date.now();
  const res = await trellis(stack.stateDir, 'apply', '-f', sample(file));
  expect(res.code).toBe(0);
  let streak = 0;
  while (streak < n) {
    if (Date.now() - started > 10_000) throw new Error(`${file}: routing did not settle`);
    streak = ok(await getPage(stack.gatewayUrl, cookie)) ? streak + 1 : 0;
  }
  return Date.now() - started;
}

beforeAll(async () => {
  stack = await startStack();
  jason = await login(stack.gatewayUrl, 'jason');
});

afterAll(async () => {
  const code = await stack?.stop();
  expect(code).toBe(0);
  removeStateDir(stack.stateDir);
});

describe('getting started', () => {
  it('serves the product page through the ingress gateway, rotating reviews v1/v2/v3', async () => {
    const seen = new Set<string>();
    for (const v of await pages(30)) {
      expect(v.status).toBe(200);
      expect(v.body).toContain('<title>Simple Bookstore App</title>');
      seen.add(v.stars === 0 ? 'v1' : v.color === 'black' ? 'v2' : 'v3');
      expect(v.servedBy).toMatch(/^reviews-v\d-/);
    }
    expect([...seen].sort()).toEqual(['v1', 'v2', 'v3']);
  });

  it('answers 404 at the gateway for paths the bookinfo VirtualService does not route', async () => {
    const res = await fetch(`${stack.gatewayUrl}/`);
    expect(res.status).toBe(404);
  });

  it('reports no analysis problems for the started sample', async () => {
    const res = await trellis(stack.stateDir, 'analyze');
    expect(res.stdout + res.stderr).toContain('✔ No validation issues found when analyzing namespace: default.');
    expect(res.code).toBe(0);
  });
});

describe('request routing', () => {
  it('virtual-service-all-v1 sends everyone to reviews v1 (no stars)', async () => {
    await trellis(stack.stateDir, 'apply', '-f', sample('destination-rule-all.yaml'));
    const ms = await applyAndSettle('virtual-service-all-v1.yaml', (v) => v.stars === 0 && v.servedBy?.startsWith('reviews-v1') === true);
    for (const v of await pages(10)) expect(v.servedBy).toMatch(/^reviews-v1-/);
    process.stdout.write(`apply → routing visible: ${ms} ms\n`);
  });

  it('virtual-service-reviews-test-v2 gives jason black stars, everyone else none', async () => {
    await applyAndSettle('virtual-service-reviews-test-v2.yaml', (v) => v.color === 'black', jason);
    for (const v of await pages(5, jason)) expect([v.stars, v.color]).toEqual([9, 'black']);
    for (const v of await pages(5)) expect(v.stars).toBe(0);
  });

  it('trellis x route asks the sidecar and the gateway where a request would go (jason-v2-v3: jason → v2, others → v3)', async () => {
    await trellis(stack.stateDir, 'apply', '-f', sample('virtual-service-reviews-jason-v2-v3.yaml'));
    const route = (...args: string[]): ReturnType<typeof trellis> => trellis(stack.stateDir, 'x', 'route', ...args);
    const started = Date.now();
    let r = await route('productpage-v1', '--host', 'reviews:9080', '--path', '/', '--header', 'end-user=jason');
    // The sidecar's config follows the apply within a push: poll on what x route itself reports.
    while (!r.stdout.includes('Subset:         v2') && Date.now() - started < 10_000) r = await route('productpage-v1', '--host', 'reviews:9080', '--path', '/', '--header', 'end-user=jason');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Route: +\S+ \(#0\) +match: prefix "\/" · header end-user exact "jason"$/m);
    expect(r.stdout).toContain('VirtualService: reviews.default');
    expect(r.stdout).toContain('Cluster:        outbound|9080|v2|reviews.default.svc.cluster.local');
    expect(r.stdout).toMatch(/^Subset: +v2\nEndpoints:\n +[\d.]+:9080 +HEALTHY$/m);
    const other = await route('productpage-v1', '--host', 'reviews:9080', '-o', 'json');
    expect((JSON.parse(other.stdout) as { action: { clusters: { subset: string }[] } }).action.clusters.map((c) => c.subset)).toEqual(['v3']);
    const gw = await route('istio-ingressgateway', '-n', 'istio-system', '--host', 'localhost:8080', '--path', '/productpage');
    expect(gw.stdout).toContain('Cluster:        outbound|9080||productpage.default.svc.cluster.local');
    const miss = await route('istio-ingressgateway', '-n', 'istio-system', '--host', 'localhost:8080', '--path', '/nope');
    expect(miss.code).toBe(1);
    expect(miss.stdout).toContain('✗ No route matched: 404 NR (route_not_found)');
    expect(miss.stdout).toContain('prefix "/static"');
    await applyAndSettle('virtual-service-reviews-test-v2.yaml', (v) => v.stars === 0); // back to the task's state
  });
});

describe('fault injection', () => {
  it('a 7s ratings delay for jason fails the reviews after ~6s (productpage: 3s × 2 attempts)', async () => {
    await trellis(stack.stateDir, 'apply', '-f', sample('virtual-service-ratings-test-delay.yaml'));
    await new Promise((r) => setTimeout(r, 500));
    const v = await getPage(stack.gatewayUrl, jason);
    expect(v.body).toContain('Sorry, product reviews are currently unavailable for this book.');
    expect(v.ms).toBeGreaterThan(5500);
    expect(v.ms).toBeLessThan(7500);
    const other = await getPage(stack.gatewayUrl);
    expect(other.ms).toBeLessThan(5000); // not delayed (a delayed page takes 6 s); slack for a loaded machine
    expect(other.stars).toBe(0);
  });

  it('an HTTP 500 abort for jason shows "Ratings service is currently unavailable"', async () => {
    await applyAndSettle('virtual-service-ratings-test-abort.yaml', (v) => v.body.includes('Ratings service is currently unavailable'), jason, 3);
    const v = await getPage(stack.gatewayUrl, jason);
    expect(v.ms).toBeLessThan(5000); // aborted at once, not delayed
    expect((v.body.match(/Ratings service is currently unavailable/g) ?? []).length).toBe(2);
  });
});

describe('traffic shifting', () => {
  it('50/50 between v1 and v3 splits 100 requests within ±20 (4 σ: a 90/10 or 0/100 split still fails)', async () => {
    await trellis(stack.stateDir, 'apply', '-f', sample('virtual-service-all-v1.yaml'));
    await applyAndSettle('virtual-service-reviews-50-v3.yaml', () => true, undefined, 1);
    await new Promise((r) => setTimeout(r, 300));
    const red = (await pages(100)).filter((v) => v.color === 'red').length;
    expect(red).toBeGreaterThanOrEqual(30);
    expect(red).toBeLessThanOrEqual(70);
  });

  it('virtual-service-reviews-v3 sends everything to v3 (red stars)', async () => {
    await applyAndSettle('virtual-service-reviews-v3.yaml', (v) => v.color === 'red');
    for (const v of await pages(20)) expect(v.color).toBe('red');
  });
});

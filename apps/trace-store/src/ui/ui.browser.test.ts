/**
 * The UI in a real browser: playwright-core driving Debian's chromium (never a downloaded browser).
 * Skips, saying so, when /usr/bin/chromium (or $CHROMIUM_PATH) is not installed.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { BOOKINFO_TRACE_ID, bookinfoTrace, singleSpan } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) process.stderr.write(`trace-store UI browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium)\n`);
const maybe = present ? describe : describe.skip;

maybe('trace store UI in chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    const nowUs = Date.now() * 1000;
    await server.post('/api/v2/spans', bookinfoTrace(nowUs - 5_000_000, BOOKINFO_TRACE_ID, true));
    await server.post('/api/v2/spans', [singleSpan(42, 'sleep.default', nowUs - 1_000_000, 3_000)]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists traces, searches by service, opens a trace and shows the waterfall with tags', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/zipkin/`);
    expect(await page.locator('tr.trace-row').count()).toBe(2);
    await page.selectOption('select[name=serviceName]', 'ratings.default');
    await page.click('button[type=submit]');
    await page.waitForURL(/serviceName=ratings.default/);
    const rows = page.locator('tr.trace-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('istio-ingressgateway.istio-system: productpage.default.svc.cluster.local:9080/productpage');
    await rows.first().locator('a').click();
    await page.waitForURL(`**/zipkin/traces/${BOOKINFO_TRACE_ID}`);
    const spans = page.locator('tr.span-row');
    expect(await spans.count()).toBe(9);
    const depths = await spans.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-depth'))));
    expect(depths).toEqual([0, 1, 2, 3, 4, 3, 4, 5, 6]);
    const ratings = spans.filter({ hasText: 'ratings.default.svc.cluster.local:9080/*' }).last();
    const tags = ratings.locator('dl.tags');
    expect(await tags.isVisible()).toBe(false);
    await ratings.locator('summary').click();
    expect(await tags.isVisible()).toBe(true);
    expect(await tags.textContent()).toContain('istio.canonical_service');
    const bar = await ratings.locator('.bar').boundingBox();
    const track = await ratings.locator('.track').boundingBox();
    expect(bar!.width).toBeGreaterThan(0);
    expect(bar!.width).toBeLessThan(track!.width / 2);
    await page.close();
  });
});

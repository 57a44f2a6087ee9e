import { closedPort } from '@trellis/bookinfo-common';
import { countFullStars, countOccurrences, json, reviewsBody, startHarness, type Harness } from '../testing/harness';

describe('productpage pages', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('GET /health', async () => {
    h = await startHarness();
    const res = await h.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toBe('Product page is healthy');
  });

  it('serves the landing page at / and /index.html with the service tree', async () => {
    h = await startHarness({ env: { DETAILS_HOSTNAME: 'details', DETAILS_SERVICE_PORT: '9080' } });
    for (const url of ['/', '/index.html']) {
      const res = await h.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Hello! This is a simple bookstore application consisting of three services as shown below');
      expect(res.body).toContain('<table class="table table-condensed table-bordered table-hover"><tr><th>name</th><td>http://details:9080</td></tr>');
      expect(res.body).toContain('<a class="text-blue-600" href="/productpage?u=normal">Normal user</a>');
      expect(res.body).toContain('href="/productpage?u=test">Test user</a>');
    }
  });

  it('renders v2 reviews: 9 full stars, 1 outline star, black, pod name twice, details table', async () => {
    h = await startHarness();
    const res = await h.app.inject({ url: '/productpage?u=normal' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('<title>Simple Bookstore App</title>');
    expect(html).toContain('<h1 class="text-5xl font-bold tracking-tight text-blue-900">The Comedy of Errors</h1>');
    expect(html).toContain("<b>William Shakespeare's</b>");
    for (const s of ['ISBN-10', 'Publisher', 'Pages', 'Type', 'Language', '1234567890', 'PublisherA', '200', 'paperback', 'English']) {
      expect(html).toContain(s);
    }
    expect(html).not.toContain('123-1234567890');
    expect(countFullStars(html)).toBe(9);
    expect(countOccurrences(html, 'stroke="currentColor" class="h-5 w-5 flex-none"')).toBe(1);
    expect(countOccurrences(html, '<div class="flex gap-x-1 text-black-500">')).toBe(2);
    expect(countOccurrences(html, 'Reviews served by:')).toBe(2);
    expect(countOccurrences(html, 'reviews-v2-abc-123')).toBe(2);
    expect(html).not.toContain('on cluster');
    expect(html).toContain('<p>"An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"</p>');
    expect(html).toContain('Reviewer1');
    expect(html).toContain('id="sign-in-button"');
    expect(html).toContain('<form class="space-y-6" method="post" action=\'login\' name="login_form">');
    expect(html).toContain('<link rel="stylesheet" href="static/tailwind/tailwind.css">');
    expect(html).toContain('class="container mx-auto px-4 sm:px-6 lg:px-8>');
  });

  it('renders v1 without stars, v3 red, the ratings error, and the cluster name', async () => {
    h = await startHarness({ reviews: json(reviewsBody(undefined, 'reviews-v1-x')) });
    const v1 = (await h.app.inject({ url: '/productpage' })).body;
    expect(countFullStars(v1)).toBe(0);
    expect(v1).not.toContain('gap-x-1');
    await h.close();

    h = await startHarness({ reviews: json(reviewsBody((s) => `{"stars": ${s}, "color": "red"}`).replace('"clustername": "null"', '"clustername": "east"')) });
    const v3 = (await h.app.inject({ url: '/productpage' })).body;
    expect(countFullStars(v3)).toBe(9);
    expect(countOccurrences(v3, '<div class="flex gap-x-1 text-red-500">')).toBe(2);
    expect(countOccurrences(v3, 'on cluster <div>east</div>')).toBe(2);
    await h.close();

    h = await startHarness({ reviews: json(reviewsBody(() => '{"error": "Ratings service is currently unavailable"}')) });
    const down = (await h.app.inject({ url: '/productpage' })).body;
    expect(countFullStars(down)).toBe(0);
    expect(countOccurrences(down, '<p class="text-red-500">Ratings service is currently unavailable</p>')).toBe(2);
  });

  it('shows both error blocks (still 200) when details and reviews fail, retrying reviews once', async () => {
    h = await startHarness({ details: json('{"error":"x"}', 555), reviews: json('{}', 503) });
    const res = await h.app.inject({ url: '/productpage' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '<p class="text-2xl text-red-500">Error fetching product details</p>\n          <p class="text-lg text-gray-600">Sorry, product details are currently unavailable for this book.</p>',
    );
    expect(res.body).toContain(
      '<p class="text-2xl text-red-500">Error fetching product reviews</p>\n      <p class="text-lg text-gray-600">Sorry, product reviews are currently unavailable for this book.</p>',
    );
    expect(h.details.requests).toHaveLength(1);
    expect(h.reviews.requests).toHaveLength(2);
    expect(h.reviews.requests[0]?.url).toBe('/reviews/0');
  });

  it('calls details then reviews, and a hung reviews fails after two timed-out attempts', async () => {
    h = await startHarness({ reviews: 'hang', timeoutMs: 300 });
    const started = Date.now();
    const res = await h.app.inject({ url: '/productpage' });
    const elapsed = Date.now() - started;
    expect(res.body).toContain('Error fetching product reviews');
    expect(res.body).toContain('Book Details');
    expect(elapsed).toBeGreaterThanOrEqual(580);
    expect(elapsed).toBeLessThan(2000);
    expect(h.reviews.requests).toHaveLength(2);
  });

  it('renders the details error when details is unreachable', async () => {
    h = await startHarness({ env: { DETAILS_SERVICE_PORT: String(await closedPort()) } });
    const res = await h.app.inject({ url: '/productpage' });
    expect(res.body).toContain('Error fetching product details');
    expect(countFullStars(res.body)).toBe(9);
  });

  it('escapes downstream values', async () => {
    h = await startHarness({ details: json('{"publisher":"<script>x</script>"}') });
    const res = await h.app.inject({ url: '/productpage' });
    expect(res.body).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(res.body).not.toContain('<script>x</script>');
  });
});

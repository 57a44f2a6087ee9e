import { closedPort } from '@trellis/bookinfo-common';
import { DETAILS_BODY, json, startHarness, type Harness } from '../testing/harness';

const PRODUCTS =
  '[{"id": 0, "title": "The Comedy of Errors", "descriptionHtml": "<a href=\\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\\">Wikipedia Summary</a>: ' +
  "The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical comedies, " +
  'with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play."}]';

describe('productpage API', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('GET /api/v1/products lists the product without calling anything', async () => {
    h = await startHarness();
    const res = await h.app.inject({ url: '/api/v1/products' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(PRODUCTS);
    expect(h.details.requests).toHaveLength(0);
  });

  it('proxies details with simplejson separators', async () => {
    h = await startHarness();
    const res = await h.app.inject({ url: '/api/v1/products/0' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(DETAILS_BODY.replace(/,"/g, ', "').replace(/":/g, '": '));
    expect(h.details.requests[0]?.url).toBe('/details/0');
  });

  it('passes downstream error statuses through with the error bodies', async () => {
    h = await startHarness({ details: json('{"error":"please provide numeric product id"}', 400), reviews: json('', 404), ratings: json('', 555) });
    const details = await h.app.inject({ url: '/api/v1/products/abc' });
    expect([details.statusCode, details.body]).toEqual([400, '{"error": "Sorry, product details are currently unavailable for this book."}']);
    expect(h.details.requests[0]?.url).toBe('/details/abc');
    const reviews = await h.app.inject({ url: '/api/v1/products/abc/reviews' });
    expect([reviews.statusCode, reviews.body]).toEqual([404, '{"error": "Sorry, product reviews are currently unavailable for this book."}']);
    expect(h.reviews.requests).toHaveLength(2);
    const ratings = await h.app.inject({ url: '/api/v1/products/0/ratings' });
    expect([ratings.statusCode, ratings.body]).toEqual([555, '{"error": "Sorry, product ratings are currently unavailable for this book."}']);
    expect(h.ratings.requests).toHaveLength(1);
  });

  it('answers 500 when the downstream is unreachable or times out', async () => {
    h = await startHarness({ env: { RATINGS_SERVICE_PORT: String(await closedPort()) }, details: 'hang', timeoutMs: 200 });
    const ratings = await h.app.inject({ url: '/api/v1/products/0/ratings' });
    expect(ratings.statusCode).toBe(500);
    expect(ratings.json()).toEqual({ error: 'Sorry, product ratings are currently unavailable for this book.' });
    const details = await h.app.inject({ url: '/api/v1/products/0' });
    expect(details.statusCode).toBe(500);
  });

  it('retries reviews once and succeeds on the second attempt', async () => {
    let calls = 0;
    h = await startHarness({ reviews: () => (++calls === 1 ? { status: 503, body: '' } : { status: 200, body: '{"id": "0"}' }) });
    const res = await h.app.inject({ url: '/api/v1/products/0/reviews' });
    expect([res.statusCode, res.body]).toEqual([200, '{"id": "0"}']);
  });

  it('counts downstream results in /metrics', async () => {
    h = await startHarness({ details: json('', 503) });
    await h.app.inject({ url: '/productpage' });
    await h.app.inject({ url: '/api/v1/products/0/ratings' });
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('# TYPE request_result_total counter');
    expect(res.body).toContain('request_result_total{destination_app="details",response_code="503"} 1');
    expect(res.body).toContain('request_result_total{destination_app="reviews",response_code="200"} 1');
    expect(res.body).toContain('request_result_total{destination_app="ratings",response_code="200"} 1');
  });

  it('sends FLOOD_FACTOR extra reviews calls per page', async () => {
    h = await startHarness({ env: { FLOOD_FACTOR: '3' } });
    await h.app.inject({ url: '/productpage' });
    expect(h.reviews.requests).toHaveLength(4);
  });

  it('propagates trace headers (B3 re-emitted) and drops a client end-user', async () => {
    h = await startHarness();
    const headers = {
      'x-request-id': 'rid-1',
      'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
      'x-b3-spanid': 'e457b5a2e4d86bd1',
      'x-b3-parentspanid': '05e3ac9a4f6e3b90',
      'x-b3-sampled': '1',
      traceparent: '00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-01',
      'user-agent': 'tester/1',
      'end-user': 'mallory',
    };
    await h.app.inject({ url: '/productpage', headers });
    for (const stub of [h.details, h.reviews]) {
      const seen = stub.requests[0]!.headers;
      for (const name of ['x-request-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'traceparent', 'user-agent'] as const) {
        expect(seen[name]).toBe(headers[name]);
      }
      expect(seen['x-b3-parentspanid']).toBeUndefined();
      expect(seen['end-user']).toBeUndefined();
    }
  });
});

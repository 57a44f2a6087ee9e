import { startHarness, type Harness } from '../testing/harness';

describe('productpage static files', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('serves the stylesheet and the avatar image', async () => {
    const css = await h.app.inject({ url: '/static/tailwind/tailwind.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('.text-red-500');
    const png = await h.app.inject({ url: '/static/img/izzy.png' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses missing files and path traversal', async () => {
    for (const url of ['/static/missing.css', '/static/../config.ts', '/static/%2e%2e/config.ts', '/static/tailwind/']) {
      expect([url, (await h.app.inject({ url })).statusCode]).toEqual([url, 404]);
    }
  });
});

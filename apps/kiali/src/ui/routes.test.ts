import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFixture, type Fixture } from '../testing/fixture';
import { loadUiBuild, rewriteBaseHref } from './ui-build';

let dir: string;
let fx: Fixture;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kiali-ui-test-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><base href="/"/><script src="./env.js"></script></head><body></body></html>');
  writeFileSync(path.join(dir, 'env.js'), '');
  mkdirSync(path.join(dir, 'static/js'), { recursive: true });
  mkdirSync(path.join(dir, 'static/media'), { recursive: true });
  writeFileSync(path.join(dir, 'static/js/main.abc.chunk.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'static/media/font.woff2'), Buffer.from([1, 2, 3]));
  fx = await startFixture({ ui: loadUiBuild(dir) });
});
afterAll(async () => {
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving the Kiali UI under /kiali (contract §2)', () => {
  it('pitfall 1: index.html has the base href /kiali/ and env.js sets WEB_ROOT', async () => {
    const index = await fx.kiali.inject('/kiali/');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<base href="/kiali/"');
    expect(index.body).not.toContain('<base href="/"');
    const env = await fx.kiali.inject('/kiali/env.js');
    expect(env.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(env.body).toContain("window.WEB_ROOT='/kiali';");
  });

  it('pitfall 2: /kiali/console/** falls back to index.html at any depth, trailing slash included', async () => {
    for (const url of ['/kiali', '/kiali/console', '/kiali/console/overview', '/kiali/console/graph/namespaces/', '/kiali/console/namespaces/default/services/reviews?tab=info']) {
      const res = await fx.kiali.inject(url);
      expect([url, res.statusCode, res.body.includes('<base href="/kiali/"')]).toEqual([url, 200, true]);
    }
  });

  it('redirects / to /kiali/ and serves build files with their types', async () => {
    const root = await fx.kiali.inject('/');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/kiali/');
    const js = await fx.kiali.inject('/kiali/static/js/main.abc.chunk.js');
    expect([js.statusCode, js.headers['content-type'], js.body]).toEqual([200, 'application/javascript; charset=utf-8', 'console.log(1)']);
    expect((await fx.kiali.inject('/kiali/static/media/font.woff2')).headers['content-type']).toBe('font/woff2');
  });

  it('never serves outside the build, and answers missing files and API paths with {error, detail} 404', async () => {
    for (const url of ['/kiali/../config.test.ts', '/kiali/%2e%2e/%2e%2e/etc/passwd', '/kiali/static/nope.js', '/kiali/api/nope']) {
      const res = await fx.kiali.inject(url);
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.json()).toMatchObject({ error: expect.any(String), detail: expect.any(String) });
    }
  });

  it('names the fetch command when the build is missing', () => {
    expect(() => loadUiBuild(path.join(dir, 'missing'))).toThrow('run node tools/kiali-ui/fetch.mjs');
    expect(() => rewriteBaseHref('<html></html>', '/kiali')).toThrow('no <base href="/">');
  });
});

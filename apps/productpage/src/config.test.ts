import { TrellisError } from '@trellis/shared';
import { loadConfig } from './config';
import { renderIndexPage, serviceTree } from './views/index-page';

describe('productpage loadConfig', () => {
  it('defaults to the Kubernetes service names on 9080', () => {
    const c = loadConfig({}, '/app');
    expect(c).toMatchObject({ host: '0.0.0.0', port: 9080, floodFactor: 0, timeoutMs: 3000, assetsDir: '/app/assets', proxy: { noProxy: [] } });
    expect([c.details.origin, c.reviews.origin, c.ratings.origin]).toEqual(['http://details:9080', 'http://reviews:9080', 'http://ratings:9080']);
  });

  it('applies SERVICES_DOMAIN, hostnames, *_SERVICE_PORT and the proxy variables', () => {
    const c = loadConfig(
      { SERVICES_DOMAIN: 'bookinfo.svc', REVIEWS_HOSTNAME: 'rev', REVIEWS_SERVICE_PORT: '9090', HTTP_PROXY: 'http://127.0.0.2:15001', NO_PROXY: 'localhost' },
      '/app',
    );
    expect(c.details.origin).toBe('http://details.bookinfo.svc:9080');
    expect(c.reviews.origin).toBe('http://rev.bookinfo.svc:9090');
    expect(c.proxy).toEqual({ httpProxy: 'http://127.0.0.2:15001', noProxy: ['localhost'] });
  });

  it('rejects a bad FLOOD_FACTOR or port with a typed error', () => {
    expect(() => loadConfig({ FLOOD_FACTOR: 'lots' }, '/app')).toThrow(TrellisError);
    expect(() => loadConfig({ DETAILS_SERVICE_PORT: 'x' }, '/app')).toThrow(TrellisError);
  });

  it('builds the landing tree with the upstream quirk (root name = details URL)', () => {
    const c = loadConfig({}, '/app');
    expect(serviceTree(c)).toEqual({
      name: 'http://details:9080',
      endpoint: 'details',
      children: [
        { name: 'http://details:9080', endpoint: 'details', children: [] },
        { name: 'http://reviews:9080', endpoint: 'reviews', children: [{ name: 'http://ratings:9080', endpoint: 'ratings', children: [] }] },
      ],
    });
    expect(renderIndexPage(c)).toContain('<thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead>');
  });
});

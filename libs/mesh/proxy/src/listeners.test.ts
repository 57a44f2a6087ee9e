import { isTrellisError } from '@trellis/shared';
import type { Listener } from './config/envoy-types';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost, virtualOutbound } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

const reviewsRoutes = routeConfig('9080', [
  vhost('reviews.default.svc.cluster.local:9080', ['reviews', 'reviews:9080'], [route({ prefix: '/' }, { cluster: svc('reviews') })]),
]);

describe('listeners, LDS/RDS updates and validation', () => {
  let app: Upstream;
  let reviews: Upstream;
  let p: TestProxy;
  const inbound = (): Listener =>
    httpListener('127.0.0.1_9080', 9080, routeConfig('inbound|9080||', [vhost('inbound|http|9080', ['*'], [route({ prefix: '/' }, { cluster: 'inbound|9080||' })])]), {
      traffic_direction: 'INBOUND',
    });

  beforeAll(async () => {
    [app, reviews] = await Promise.all([startUpstream('app'), startUpstream('reviews')]);
    p = await startProxy({
      clusters: [
        edsCluster(svc('reviews')),
        { name: 'inbound|9080||', type: 'STATIC', load_assignment: assignment('inbound|9080||', [{ port: app.port }]) },
        { name: 'PassthroughCluster', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' },
      ],
      endpoints: [assignment(svc('reviews'), [{ port: reviews.port }])],
      listeners: [virtualOutbound(), httpListener('0.0.0.0_9080', 9080, '9080', { bind_to_port: { value: false } }), inbound()],
      routes: [reviewsRoutes],
    });
  });

  afterAll(async () => {
    await p.proxy.close();
    await Promise.all([app.close(), reviews.close()]);
  });

  it('does not bind bind_to_port:false listeners', () => {
    expect(p.proxy.listenerAddresses().map((l) => l.name).sort()).toEqual(['127.0.0.1_9080', 'virtualOutbound']);
  });

  it('virtualOutbound routes absolute-form requests by port and forwards origin-form', async () => {
    const r = await send(p.port('virtualOutbound'), { path: 'http://reviews:9080/reviews/0', host: 'reviews:9080' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ name: 'reviews', url: '/reviews/0' });
    const viaHost = await send(p.port('virtualOutbound'), { path: '/reviews/1', host: 'reviews:9080' });
    expect(viaHost.json()).toMatchObject({ name: 'reviews', url: '/reviews/1' });
  });

  it('virtualOutbound passes unknown ports through to the original destination', async () => {
    const r = await send(p.port('virtualOutbound'), { path: `http://127.0.0.1:${app.port}/direct`, host: `127.0.0.1:${app.port}` });
    expect(r.json()).toMatchObject({ name: 'app', url: '/direct' });
  });

  it('an inbound listener with an inline route config forwards to the app', async () => {
    const r = await send(p.port('127.0.0.1_9080'), { path: '/ratings/0', host: 'ratings:9080' });
    expect(r.json()).toMatchObject({ name: 'app', url: '/ratings/0' });
  });

  it('apply() rejects bad config synchronously with a reason naming the resource and keeps the last good config', async () => {
    const bad = [
      httpListener('0.0.0.0_9080', 9080, '9080', {
        filter_chains: [{ filters: [{ name: 'x', typed_config: { '@type': 'type.googleapis.com/unknown.Filter' } }] }],
      }),
    ];
    expect(() => p.proxy.apply('LDS', bad)).toThrow(/listener 0.0.0.0_9080 filter chain 0: unknown network filter x/);
    const badHttpFilter = httpListener('l', 1, '9080');
    const hcm = badHttpFilter.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
    hcm.http_filters.unshift({ name: 'envoy.filters.http.lua', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua' } });
    expect(() => p.proxy.apply('LDS', [badHttpFilter])).toThrow(/listener l .*unknown http filter envoy.filters.http.lua/);
    const badRoutes = [routeConfig('9080', [vhost('v', ['*'], [route({ safe_regex: { regex: '(' } }, { cluster: 'c' })])])];
    expect(() => p.proxy.apply('RDS', badRoutes)).toThrow(/route config 9080 .*bad regex/);
    const noWeight = [routeConfig('9080', [vhost('v', ['*'], [route({ prefix: '/' }, { weighted_clusters: { clusters: [{ name: 'a' }] } })])])];
    expect(() => p.proxy.apply('RDS', noWeight)).toThrow(/weighted cluster a without weight/);
    expect(() => p.proxy.apply('CDS', [{ type: 'EDS' }])).toThrow(/cluster\[0\]: missing name/);
    try {
      await p.proxy.apply('LDS', bad);
    } catch (err) {
      expect(isTrellisError(err) && err.code).toBe('XDS_INVALID');
    }
    const r = await send(p.port('virtualOutbound'), { path: 'http://reviews:9080/still', host: 'reviews:9080' });
    expect(r.json()).toMatchObject({ name: 'reviews' });
  });

  it('keeps unchanged listeners open and closes removed ones on LDS updates', async () => {
    const before = p.port('virtualOutbound');
    const inboundPort = p.port('127.0.0.1_9080');
    await p.proxy.apply('LDS', [virtualOutbound(), httpListener('0.0.0.0_9080', 9080, '9080', { bind_to_port: { value: false } })]);
    expect(p.port('virtualOutbound')).toBe(before);
    await expect(send(inboundPort)).rejects.toThrow(/ECONNREFUSED/);
    await p.proxy.apply('LDS', [virtualOutbound(), httpListener('0.0.0.0_9080', 9080, '9080', { bind_to_port: { value: false } }), inbound()]);
    expect((await send(p.port('127.0.0.1_9080'))).json()).toMatchObject({ name: 'app' });
  });
});

describe('readiness and missing RDS', () => {
  it('answers 503 until the route config arrives, and becomes ready only with the complete config', async () => {
    const u = await startUpstream('u');
    const p = await startProxy({ clusters: [edsCluster(svc('reviews'))], listeners: [httpListener('0.0.0.0_9080', 9080, '9080')] });
    try {
      expect(p.proxy.isReady()).toBe(false);
      expect((await send(p.port('0.0.0.0_9080'))).status).toBe(503);
      await p.proxy.apply('RDS', [reviewsRoutes]);
      expect(p.proxy.isReady()).toBe(false);
      await p.proxy.apply('EDS', [assignment(svc('reviews'), [{ port: u.port }])]);
      expect(p.proxy.isReady()).toBe(true);
      expect((await send(p.port('0.0.0.0_9080'))).status).toBe(200);
    } finally {
      await p.proxy.close();
      await u.close();
    }
  });
});

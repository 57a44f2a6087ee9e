import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

/** Gateway `tls.httpsRedirect` → `require_tls` on the vhost: the proxy answers Envoy's SSL redirect. */
describe('virtual host require_tls', () => {
  let backend: Upstream;
  let p: TestProxy;
  const HOST = 'bookinfo.example.com';

  beforeAll(async () => {
    backend = await startUpstream('productpage');
    const routes = [route({ prefix: '/' }, { cluster: svc('productpage') }, { response_headers_to_add: [{ header: { key: 'x-route', value: 'yes' } }] })];
    p = await startProxy({
      clusters: [edsCluster(svc('productpage'))],
      endpoints: [assignment(svc('productpage'), [{ port: backend.port }])],
      listeners: [
        httpListener('edge', 8080, 'edge'),
        httpListener('trusting', 8081, 'trusting'),
        httpListener('external', 8082, 'external'),
      ].map((l, i) => withRemoteAddress(l, i !== 1)),
      routes: [
        routeConfig('edge', [vhost(`${HOST}:80`, [HOST, `${HOST}:80`], routes, { require_tls: 'ALL' }), vhost('other', ['other'], routes)]),
        routeConfig('trusting', [vhost(`${HOST}:80`, [HOST], routes, { require_tls: 'ALL' })]),
        routeConfig('external', [vhost(`${HOST}:80`, [HOST], routes, { require_tls: 'EXTERNAL_ONLY' })]),
      ],
    });
  });

  afterAll(async () => {
    await p.proxy.close();
    await backend.close();
  });

  it('ALL: a plaintext request gets 301 https://<host><path> from the proxy, no vhost edits, counted as a direct response', async () => {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    const r = await send(p.port('edge'), { host: HOST, path: '/productpage?u=normal' });
    expect([r.status, r.headers['location'], r.headers['server'], r.body]).toEqual([301, `https://${HOST}/productpage?u=normal`, 'envoy', '']);
    expect(r.headers['x-route']).toBeUndefined();
    expect(backend.seen).toHaveLength(0);
    expect((await send(p.port('edge'), { host: `${HOST}:80`, path: '/productpage' })).headers['location']).toBe(`https://${HOST}:80/productpage`);
    expect((await send(admin.port, { path: '/stats' })).body).toContain('http.edge.rq_direct_response: 2\n');
  });

  it('ALL on an edge HCM: a client-sent x-forwarded-proto https is not trusted; other vhosts are unaffected', async () => {
    expect((await send(p.port('edge'), { host: HOST, headers: { 'x-forwarded-proto': 'https' } })).status).toBe(301);
    const other = await send(p.port('edge'), { host: 'other' });
    expect([other.status, other.json<{ headers: Record<string, string> }>().headers['x-forwarded-proto']]).toEqual([200, 'http']);
  });

  it('ALL without use_remote_address: the previous hop\'s x-forwarded-proto https is kept, so the request is routed', async () => {
    expect((await send(p.port('trusting'), { host: HOST })).status).toBe(301);
    const r = await send(p.port('trusting'), { host: HOST, headers: { 'x-forwarded-proto': 'https' } });
    expect([r.status, r.headers['x-route']]).toEqual([200, 'yes']);
  });

  it('EXTERNAL_ONLY: an internal peer (loopback, no x-forwarded-for) is served, an external one redirected', async () => {
    expect((await send(p.port('external'), { host: HOST, headers: { 'x-envoy-internal': 'true' } })).status).toBe(200);
    const ext = await send(p.port('external'), { host: HOST, path: '/p', headers: { 'x-forwarded-for': '203.0.113.7', 'x-envoy-internal': 'true' } });
    expect([ext.status, ext.headers['location']]).toEqual([301, `https://${HOST}/p`]);
  });
});

function withRemoteAddress<T extends { filter_chains?: unknown }>(l: T, on: boolean): T {
  const chain = (l.filter_chains as { filters: { typed_config: Record<string, unknown> }[] }[])[0]!;
  chain.filters[0]!.typed_config['use_remote_address'] = { value: on };
  return l;
}

// Istio's allow_any virtual host: a route (not a tcp_proxy chain) to the ORIGINAL_DST PassthroughCluster sends
// the request where it was going — SO_ORIGINAL_DST when captured, else its authority (an HTTP-proxy client, as
// local mode's apps are). Before, the route picked from the cluster's (empty) host set: 503 no healthy upstream.
import { httpListener, route, routeConfig, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

describe('a route to an ORIGINAL_DST cluster (allow_any → PassthroughCluster)', () => {
  let p: TestProxy;
  let external: Upstream;

  beforeAll(async () => {
    external = await startUpstream('external');
    const allowAny = routeConfig('80', [vhost('allow_any', ['*'], [route({ prefix: '/' }, { cluster: 'PassthroughCluster' }, { name: 'allow_any' })])]);
    p = await startProxy({
      clusters: [{ name: 'PassthroughCluster', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' }],
      listeners: [httpListener('0.0.0.0_80', 0, allowAny)],
    });
  });

  afterAll(async () => {
    await p.proxy.close();
    await external.close();
  });

  it('reaches the host the request names, with its path and Host unchanged', async () => {
    const r = await send(p.port('0.0.0.0_80'), { host: `127.0.0.1:${external.port}`, path: '/headers' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ name: 'external', url: '/headers' });
    expect(external.seen.at(-1)?.headers.host).toBe(`127.0.0.1:${external.port}`);
  });
});

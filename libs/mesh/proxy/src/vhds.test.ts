import { createAdsClient, createAdsServer, type AdsClient, type AdsServer, type XdsResources } from '@trellis/mesh-xds';
import { silentLogger } from '@trellis/shared';
import { createProxy, type Proxy } from './proxy';
import { assignment, edsCluster, httpListener, route, routeConfig, vhost } from './testing/envoy-fixtures';
import { send, startUpstream, type Upstream } from './testing/harness';

const SERVICES = 30;

/** Route config 9080: one virtual host per service (svc-i → c-v1), reviews → `reviewsCluster`. */
function mesh(v1: Upstream, v2: Upstream, reviewsCluster: string): XdsResources {
  const hosts = Array.from({ length: SERVICES }, (_, i) => vhost(`svc-${i}.default.svc.cluster.local:9080`, [`svc-${i}`, `svc-${i}:9080`], [route({ prefix: '/' }, { cluster: 'c-v1' })]));
  hosts.push(vhost('reviews.default.svc.cluster.local:9080', ['reviews', 'reviews:9080'], [route({ prefix: '/' }, { cluster: reviewsCluster })]));
  const resources = {
    clusters: [edsCluster('c-v1'), edsCluster('c-v2')],
    endpoints: [assignment('c-v1', [{ port: v1.port }]), assignment('c-v2', [{ port: v2.port }])],
    listeners: [httpListener('http', 9080, '9080')],
    routes: [routeConfig('9080', hosts)],
  };
  // The proxy's fixtures are its received (read-only) view of the same messages the server encodes.
  return resources as unknown as XdsResources;
}

/**
 * A proxy fed by the real ADS server over delta + VHDS (its default): it serves through the route
 * configuration materialized from shell + virtual hosts, and a one-service change reaches it as one
 * virtual host without a request in between seeing an empty or partial table.
 */
describe('proxy over delta xDS with VHDS', () => {
  let server: AdsServer;
  let client: AdsClient;
  let proxy: Proxy;
  let v1: Upstream;
  let v2: Upstream;
  let current: XdsResources;

  beforeAll(async () => {
    [v1, v2] = await Promise.all([startUpstream('v1'), startUpstream('v2')]);
    current = mesh(v1, v2, 'c-v1');
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 10, maxMs: 50 } });
    const port = await server.bind('127.0.0.1:0');
    proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 500, bindOverride: () => ({ host: '127.0.0.1', port: 0 }) });
    client = createAdsClient({
      target: `127.0.0.1:${port}`,
      node: { id: 'sidecar~127.0.0.1~productpage-v1-x.default~default.svc.cluster.local', metadata: { NAMESPACE: 'default' } },
      logger: silentLogger(),
      backoff: { initialMs: 20, maxMs: 100 },
      onResources: (type, resources, version) => void proxy.apply(type, resources, version),
    });
  });

  afterAll(async () => {
    client.close();
    await proxy.close();
    await server.close();
    await Promise.all([v1.close(), v2.close()]);
  });

  const listenerPort = (): number | undefined => proxy.listenerAddresses().find((l) => l.name === 'http')?.port;

  it('serves through the materialized route configuration, and a changed virtual host takes effect with no request failing', async () => {
    const deadline = Date.now() + 10_000;
    while (!(proxy.isReady() && listenerPort() !== undefined && server.syncStatus()[0]?.types.VHDS?.status === 'SYNCED')) {
      if (Date.now() > deadline) throw new Error('proxy not configured');
      await new Promise((r) => setTimeout(r, 20));
    }
    const port = listenerPort()!;
    expect((await send(port, { host: 'reviews:9080' })).headers['x-upstream']).toBe('v1');
    expect((await send(port, { host: 'svc-7' })).status).toBe(200);
    const admin = await proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    const dump = (await (await fetch(`http://127.0.0.1:${admin.port}/config_dump`)).json()) as { configs: { dynamic_route_configs?: { route_config: { virtual_hosts?: unknown[]; vhds?: unknown } }[] }[] };
    const rc = dump.configs.flatMap((c) => c.dynamic_route_configs ?? [])[0]!.route_config;
    expect(rc.virtual_hosts).toHaveLength(SERVICES + 1);

    current = mesh(v1, v2, 'c-v2');
    server.pushNow('reviews → v2');
    const seen: string[] = [];
    while (seen.at(-1) !== 'v2') {
      if (Date.now() > deadline + 10_000) throw new Error(`never switched: ${seen.slice(-3).join(',')}`);
      const [reviews, other] = await Promise.all([send(port, { host: 'reviews:9080' }), send(port, { host: 'svc-3:9080' })]);
      expect([reviews.status, other.status, other.headers['x-upstream']]).toEqual([200, 200, 'v1']);
      seen.push(String(reviews.headers['x-upstream']));
    }
    expect(server.syncStatus()[0]!.types.VHDS?.status).toBe('SYNCED');
  });
});

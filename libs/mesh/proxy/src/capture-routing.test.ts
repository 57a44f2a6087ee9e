/**
 * REDIRECT-mode capture listeners without SO_ORIGINAL_DST: virtualInbound picks its filter chain by
 * the Host port; non-HTTP bytes on a capture port get a 400 and a close.
 */
import { connect } from 'node:net';
import type { Cluster, FilterChain, Listener } from './config/envoy-types';
import { ORIGINAL_DST_HEADER, authorityPort } from './listener/chain-select';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost, virtualOutbound } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

const PASSTHROUGH = 'InboundPassthroughClusterIpv4';

/** An HCM chain with an inline catch-all route to `cluster`, optionally matching a destination port. */
function chain(name: string, cluster: string, port?: number): FilterChain {
  const routes = routeConfig(cluster, [vhost(`${name}-vh`, ['*'], [route({ prefix: '/' }, { cluster })])]);
  const built = httpListener(name, 0, routes).filter_chains?.[0];
  if (built === undefined) throw new Error('fixture has no filter chain');
  return { ...built, name, ...(port === undefined ? {} : { filter_chain_match: { destination_port: { value: port } } }) };
}

function virtualInbound(ports: readonly number[]): Listener {
  return {
    name: 'virtualInbound',
    address: { socket_address: { address: '0.0.0.0', port_value: 15006 } },
    use_original_dst: { value: true },
    traffic_direction: 'INBOUND',
    filter_chains: [...ports.map((p) => chain(`0.0.0.0_${p}`, `inbound|${p}||`, p)), chain(PASSTHROUGH, PASSTHROUGH)],
  };
}

const staticCluster = (name: string, port: number): Cluster => ({ name, type: 'STATIC', load_assignment: assignment(name, [{ port }]) });

/** Send raw bytes, collect everything until the proxy closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(bytes));
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error('proxy kept a non-HTTP connection open')));
  });
}

describe('REDIRECT capture: virtualInbound chain selection by Host port', () => {
  let app9080: Upstream;
  let app9081: Upstream;
  let passthrough: Upstream;
  let reviews: Upstream;
  let p: TestProxy;
  const outbound9080 = httpListener('0.0.0.0_9080', 9080, '9080', { bind_to_port: { value: false } });
  const listeners = (inboundPorts: number[]): Listener[] => [virtualOutbound(), outbound9080, virtualInbound(inboundPorts)];

  beforeAll(async () => {
    [app9080, app9081, passthrough, reviews] = await Promise.all(['app9080', 'app9081', 'passthrough', 'reviews'].map((n) => startUpstream(n)));
    p = await startProxy({
      clusters: [
        edsCluster(svc('reviews')),
        staticCluster('inbound|9080||', app9080.port),
        staticCluster('inbound|9081||', app9081.port),
        staticCluster(PASSTHROUGH, passthrough.port),
        { name: 'PassthroughCluster', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' },
      ],
      endpoints: [assignment(svc('reviews'), [{ port: reviews.port }])],
      listeners: listeners([9080]),
      routes: [routeConfig('9080', [vhost('reviews', ['reviews', 'reviews:9080'], [route({ prefix: '/' }, { cluster: svc('reviews') })])])],
    });
  });

  afterAll(async () => {
    await p.proxy.close();
    await Promise.all([app9080, app9081, passthrough, reviews].map((u) => u.close()));
  });

  it('parses authority ports', () => {
    expect([authorityPort('reviews:9080'), authorityPort('reviews'), authorityPort('[::1]'), authorityPort('[::1]:80'), authorityPort('a:b')]).toEqual([
      9080,
      undefined,
      undefined,
      80,
      undefined,
    ]);
  });

  it('routes inbound by its own chain for the Host port, never by the outbound 0.0.0.0_<port> listener', async () => {
    const r = await send(p.port('virtualInbound'), { path: '/reviews/0', host: 'reviews:9080' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ name: 'app9080', url: '/reviews/0' });
    expect(reviews.seen).toHaveLength(0);
  });

  it('uses the single HTTP chain when Host has no port, and passthrough for unknown ports', async () => {
    expect((await send(p.port('virtualInbound'), { host: '10.244.0.7' })).json()).toMatchObject({ name: 'app9080' });
    expect((await send(p.port('virtualInbound'), { host: '10.244.0.7:7777' })).json()).toMatchObject({ name: 'passthrough' });
  });

  it('picks among several port chains by Host port; no port and several chains → passthrough', async () => {
    await p.proxy.apply('LDS', listeners([9080, 9081]));
    try {
      expect((await send(p.port('virtualInbound'), { host: '10.244.0.7:9081' })).json()).toMatchObject({ name: 'app9081' });
      expect((await send(p.port('virtualInbound'), { host: 'reviews:9080' })).json()).toMatchObject({ name: 'app9080' });
      expect((await send(p.port('virtualInbound'), { host: 'reviews' })).json()).toMatchObject({ name: 'passthrough' });
    } finally {
      await p.proxy.apply('LDS', listeners([9080]));
    }
  });

  it('x-envoy-original-dst-host (from the sending proxy) picks the chain over the Host port, and never reaches the app', async () => {
    await p.proxy.apply('LDS', listeners([9080, 9081]));
    try {
      // The ingress gateway forwards the external Host (node IP and nodePort) unchanged.
      const r = await send(p.port('virtualInbound'), { host: '172.31.255.2:30080', headers: { [ORIGINAL_DST_HEADER]: '10.244.0.7:9081' } });
      expect(r.json()).toMatchObject({ name: 'app9081' });
      expect(app9081.seen.at(-1)?.headers[ORIGINAL_DST_HEADER]).toBeUndefined();
      expect(app9081.seen.at(-1)?.headers.host).toBe('172.31.255.2:30080');
      const other = await send(p.port('virtualInbound'), { host: 'reviews:9081', headers: { [ORIGINAL_DST_HEADER]: '10.244.0.7:7777' } });
      expect(other.json()).toMatchObject({ name: 'passthrough' });
    } finally {
      await p.proxy.apply('LDS', listeners([9080]));
    }
  });

  it('outbound requests to EDS endpoints carry the endpoint they were sent to', async () => {
    const r = await send(p.port('virtualOutbound'), { path: '/r', host: 'reviews:9080', headers: { [ORIGINAL_DST_HEADER]: '6.6.6.6:1' } });
    expect(r.json()).toMatchObject({ name: 'reviews' });
    expect(reviews.seen.at(-1)?.headers[ORIGINAL_DST_HEADER]).toBe(`127.0.0.1:${reviews.port}`);
  });

  it('virtualOutbound still routes by the Host port to the per-port listener', async () => {
    expect((await send(p.port('virtualOutbound'), { path: '/r', host: 'reviews:9080' })).json()).toMatchObject({ name: 'reviews', url: '/r' });
  });

  it('answers non-HTTP bytes on a capture port with 400 and closes (no opaque TCP without SO_ORIGINAL_DST)', async () => {
    for (const name of ['virtualOutbound', 'virtualInbound']) {
      const reply = await raw(p.port(name), '\x16\x03\x01\x00\x05hello-not-http\r\n\r\n');
      expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    }
  });
});

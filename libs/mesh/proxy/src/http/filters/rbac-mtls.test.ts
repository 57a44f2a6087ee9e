import type { RbacRules } from '@trellis/mesh-envoy';
import type { FilterChain, Listener } from '../../config/envoy-types';
import { KNOWN_TYPES } from '../../config/proto';
import type { SecretStore } from '../../sds';
import { type TestProxy, send, startProxy } from '../../testing/harness';
import { inboundChains, inboundCluster, inboundListener } from '../../testing/istio-mtls';
import { type MeshPki, meshPki, spiffe } from '../../testing/mesh-pki';
import { type Apps, startApps, startClientSidecar, tcpRoundTrip } from '../../testing/mesh-sidecars';

/**
 * AuthorizationPolicy `from.source.principals` over real mTLS between two sidecars: the server's
 * inbound HTTP chain runs envoy.filters.http.rbac, its TCP chain envoy.filters.network.rbac, both
 * allowing only productpage's SPIFFE identity (istiod's shape: authenticated.principal_name exact).
 */

const ONLY_PRODUCTPAGE: RbacRules = {
  action: 'ALLOW',
  policies: {
    'ns[default]-policy[reviews-viewer]-rule[0]': {
      permissions: [{ and_rules: { rules: [{ any: true }] } }],
      principals: [{ and_ids: { ids: [{ or_ids: { ids: [{ authenticated: { principal_name: { exact: spiffe('bookinfo-productpage') } } }] } }] } }],
    },
  },
};

function withRbac(chains: FilterChain[], kind: 'http' | 'tcp'): FilterChain[] {
  return chains.map((c) => {
    const [terminal] = c.filters ?? [];
    if (kind === 'tcp') {
      const rbac = { name: 'envoy.filters.network.rbac', typed_config: { '@type': KNOWN_TYPES.networkRbac, stat_prefix: 'tcp.', rules: ONLY_PRODUCTPAGE } };
      return { ...c, filters: [rbac, terminal] };
    }
    const hcm = terminal.typed_config as { http_filters: object[] };
    const rbac = { name: 'envoy.filters.http.rbac', typed_config: { '@type': KNOWN_TYPES.rbac, rules: ONLY_PRODUCTPAGE } };
    return { ...c, filters: [{ ...terminal, typed_config: { ...hcm, http_filters: [rbac, ...hcm.http_filters] } }] };
  });
}

function guardedListeners(guarded = true): Listener[] {
  const listener = (port: number, p: 'http' | 'tcp'): Listener => {
    const chains = inboundChains(port, 'STRICT', p);
    return inboundListener(`127.0.0.1_${port}`, port, guarded ? withRbac(chains, p) : chains);
  };
  return [listener(9080, 'http'), listener(9090, 'http'), listener(9000, 'tcp')];
}

function startGuardedServer(apps: Apps, secrets: SecretStore, guarded = true): Promise<TestProxy> {
  return startProxy(
    {
      clusters: [inboundCluster(9080, apps.http.port), inboundCluster(9090, apps.grpcPort, true), inboundCluster(9000, apps.tcpPort)],
      listeners: guardedListeners(guarded),
    },
    { secrets },
  );
}

describe('RBAC by peer principal over mTLS', () => {
  let pki: MeshPki;
  let apps: Apps;
  let server: TestProxy;
  const clients: TestProxy[] = [];
  beforeAll(async () => {
    pki = meshPki();
    apps = await startApps();
    server = await startGuardedServer(apps, pki.store('bookinfo-reviews'));
  });
  afterAll(async () => {
    for (const c of clients) await c.proxy.close();
    await server.proxy.close();
    await apps.close();
  });

  async function client(sa: string): Promise<TestProxy> {
    const c = await startClientSidecar(server, pki.store(sa));
    clients.push(c);
    return c;
  }

  it('HTTP: productpage is allowed, sleep gets 403 RBAC: access denied', async () => {
    const ok = await send((await client('bookinfo-productpage')).port('0.0.0.0_9080'), { host: 'reviews:9080', path: '/reviews/0' });
    expect(ok.status).toBe(200);
    const denied = await send((await client('sleep')).port('0.0.0.0_9080'), { host: 'reviews:9080', path: '/reviews/0' });
    expect([denied.status, denied.body]).toEqual([403, 'RBAC: access denied']);
  });

  it('TCP: productpage round-trips through the echo, sleep is closed with nothing back', async () => {
    expect(await tcpRoundTrip((await client('bookinfo-productpage')).port('127.0.0.1_9000'), 'ping')).toBe('ping');
    expect(await tcpRoundTrip((await client('sleep')).port('127.0.0.1_9000'), 'ping')).toBe('');
    const admin = await server.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    const text = (await send(admin.port, { path: '/stats' })).body;
    expect(text).toContain('tcp.rbac.allowed: 1\n');
    expect(text).toContain('tcp.rbac.denied: 1\n');
    expect(text).toContain('http.inbound_0.0.0.0_9080.rbac.denied: 1\n');
  });
});

describe('a policy applied while clients hold keep-alive mTLS connections', () => {
  it('applies to the next request on a connection accepted before the LDS update', async () => {
    const pki = meshPki();
    const apps = await startApps();
    const server = await startGuardedServer(apps, pki.store('bookinfo-reviews'), false);
    const sleepClient = await startClientSidecar(server, pki.store('sleep'));
    try {
      const target = { host: 'reviews:9080', path: '/reviews/0' };
      expect((await send(sleepClient.port('0.0.0.0_9080'), target)).status).toBe(200);
      // The client's pool keeps that TLS connection; the server's chain is pinned to it.
      await server.proxy.apply('LDS', guardedListeners(true));
      const denied = await send(sleepClient.port('0.0.0.0_9080'), target);
      expect([denied.status, denied.body]).toEqual([403, 'RBAC: access denied']);
      const admin = await server.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
      expect((await send(admin.port, { path: '/stats' })).body).toContain('listener.127.0.0.1_9080.ssl.handshake: 1\n');
    } finally {
      await sleepClient.proxy.close();
      await server.proxy.close();
      await apps.close();
    }
  });
});

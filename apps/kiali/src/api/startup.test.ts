import { sample, shapeMismatches } from '../testing/shape';
import { startFixture, type Fixture } from '../testing/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.close();
});

const get = async (url: string): Promise<{ status: number; body: unknown }> => {
  const res = await fx.kiali.inject({ url: `/kiali/api/${url}`, headers: { 'x-auth-type-kiali-ui': '1' } });
  return { status: res.statusCode, body: res.body === '' ? undefined : (JSON.parse(res.body) as unknown) };
};

describe('start-up endpoints (contract §4.1–§4.8)', () => {
  it.each([
    ['auth/info', 'auth_info'],
    ['status', 'status'],
    ['jaeger', 'jaeger'],
    ['namespaces', 'namespaces'],
    ['config', 'config'],
    ['istio/status', 'istio_status'],
    ['mesh/tls', 'mesh_tls'],
    ['istio/permissions?namespaces=default,istio-system', 'istio_permissions_namespaces_default_istio-system'],
  ])('%s has the shape of the sample', async (url, name) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(shapeMismatches(sample(name), res.body)).toEqual([]);
  });

  it('answers anonymous auth without a session', async () => {
    expect((await get('auth/info')).body).toEqual({ strategy: 'anonymous', sessionInfo: {} });
  });

  it('pitfall 3: config carries kialiFeatureFlags, prometheus, a non-empty healthConfig.rate and istioLabels', async () => {
    const config = (await get('config')).body as Record<string, { rate?: { tolerance: unknown[] }[] } & Record<string, unknown>>;
    expect(config['kialiFeatureFlags']).toMatchObject({ uiDefaults: { metricsPerRefresh: '1m', refreshInterval: '15s', namespaces: [] } });
    expect(config['prometheus']).toMatchObject({ storageTsdbRetention: 604800 });
    expect(config['healthConfig']?.rate?.[0]?.tolerance.length).toBeGreaterThan(0);
    expect(config['istioLabels']).toEqual({ appLabelName: 'app', injectionLabelName: 'istio-injection', versionLabelName: 'version' });
    expect(config['istioNamespace']).toBe('istio-system');
  });

  it('status says where traffic data comes from (no Prometheus: the in-process scraper)', async () => {
    const status = (await get('status')).body as { warningMessages: string[] };
    expect(status.warningMessages).toEqual([expect.stringContaining('No Prometheus configured')]);
  });

  it('pitfall 11: istio/status reports istiod and the ingress gateway from the registry', async () => {
    expect((await get('istio/status')).body).toEqual([
      { name: 'istiod', status: 'Healthy', is_core: true },
      { name: 'istio-ingressgateway', status: 'Healthy', is_core: true },
    ]);
  });

  it('pitfall 12: grafana is 204 (not configured), logout 204', async () => {
    expect((await get('grafana')).status).toBe(204);
    expect((await get('logout')).status).toBe(204);
  });

  it('lists the mesh namespaces, default labelled for injection', async () => {
    expect((await get('namespaces')).body).toEqual([
      { name: 'default', labels: { 'istio-injection': 'enabled' } },
      { name: 'istio-system', labels: {} },
    ]);
  });

  it('grants writes on VirtualServices and DestinationRules only', async () => {
    const perms = (await get('istio/permissions?namespaces=default')).body as Record<string, Record<string, { create: boolean }>>;
    expect(perms['default']?.['virtualservices']?.create).toBe(true);
    expect(perms['default']?.['destinationrules']?.create).toBe(true);
    expect(perms['default']?.['authorizationpolicies']?.create).toBe(false);
  });

  it('mesh mTLS follows a STRICT mesh-wide PeerAuthentication in istio-system', async () => {
    expect((await get('mesh/tls')).body).toEqual({ status: 'MTLS_NOT_ENABLED' });
    await fx.store.applyAll([{ apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } }]);
    try {
      expect((await get('mesh/tls')).body).toEqual({ status: 'MTLS_ENABLED' });
      expect((await get('namespaces/default/tls')).body).toEqual({ status: 'MTLS_NOT_ENABLED' });
    } finally {
      await fx.store.deleteAll([{ kind: 'PeerAuthentication', namespace: 'istio-system', name: 'default' }]);
    }
  });

  it('unknown namespaces are 404 in the {error, detail} shape', async () => {
    const res = await get('namespaces/nope/tls');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Namespace nope not found', detail: 'NOT_FOUND; resource: namespace; name: nope' });
  });
});

import { bookinfoService, startFixture, type Fixture } from '../testing/fixture';
import { sample, shapeMismatches } from '../testing/shape';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.close();
});

const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fx.kiali.inject(`/kiali/api/${url}`);
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
};
const names = (items: unknown): string[] => (items as { name: string }[]).map((i) => i.name);

describe('lists (contract §4.13)', () => {
  it.each([
    ['namespaces/default/apps', 'namespaces_default_apps'],
    ['namespaces/default/workloads', 'namespaces_default_workloads'],
    ['namespaces/default/services', 'namespaces_default_services'],
    ['namespaces/default/validations', 'namespaces_default_validations'],
    ['namespaces/default/tls', 'namespaces_default_tls'],
  ])('%s has the shape of the sample', async (url, name) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(shapeMismatches(sample(name), res.body)).toEqual([]);
  });

  it('groups pods into Deployment-named workloads and apps by their app label', async () => {
    expect(names((await get('namespaces/default/apps')).body['applications'])).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    const workloads = (await get('namespaces/default/workloads')).body['workloads'];
    expect(names(workloads)).toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect((workloads as Record<string, unknown>[])[3]).toMatchObject({ type: 'Deployment', istioSidecar: true, labels: { app: 'reviews', version: 'v1' }, appLabel: true, versionLabel: true, podCount: 1, createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it("lists the ingress gateway connected over ADS as an istio-system workload (local mode does not register it), once", async () => {
    const body = (await get('namespaces/istio-system/workloads')).body;
    expect(names(body['workloads'])).toEqual(['istio-ingressgateway', 'prometheus']);
    expect(names((await get('namespaces/default/workloads')).body['workloads'])).toHaveLength(6);
  });

  it('pitfall 4: the services list has validations.service[name] for every service', async () => {
    const body = (await get('namespaces/default/services')).body as { services: { name: string }[]; validations: { service: Record<string, unknown> } };
    expect(Object.keys(body.validations.service).sort()).toEqual(body.services.map((s) => s.name).sort());
    expect(body.validations.service['reviews']).toEqual({ name: 'reviews', objectType: 'service', valid: true, checks: [], references: [] });
  });

  it("Kiali's validation demo: a Service port renamed to foo is a KIA0601 error on that service and in the namespace count", async () => {
    fx.registry.upsertService(bookinfoService('details', 'foo'));
    try {
      const body = (await get('namespaces/default/services')).body as { validations: { service: Record<string, { valid: boolean; checks: { severity: string; path: string; message: string }[] }> } };
      expect(body.validations.service['details']).toMatchObject({ valid: false, checks: [{ severity: 'error', path: 'spec/ports[0]', message: 'KIA0601 Port name must follow <protocol>[-suffix] form' }] });
      expect((await get('namespaces/default/validations')).body).toMatchObject({ errors: 1, warnings: 0 });
    } finally {
      fx.registry.upsertService(bookinfoService('details'));
    }
  });

  it('details: an app, a workload with its pods and services, a service with its workloads', async () => {
    expect((await get('namespaces/default/apps/reviews')).body).toMatchObject({ name: 'reviews', serviceNames: ['reviews'], workloads: [{ workloadName: 'reviews-v1' }, { workloadName: 'reviews-v2' }, { workloadName: 'reviews-v3' }], runtimes: [] });
    const wl = (await get('namespaces/default/workloads/reviews-v2')).body;
    expect(wl).toMatchObject({ name: 'reviews-v2', replicas: 1, availableReplicas: 1, pods: [{ status: 'Running', createdBy: [{ kind: 'ReplicaSet', name: 'reviews-v2-7d79d5bd5d' }], istioContainers: [{ name: 'istio-proxy', isReady: true }] }], services: [{ name: 'reviews' }] });
    const svc = (await get('namespaces/default/services/reviews')).body;
    expect(svc).toMatchObject({
      service: { name: 'reviews', ports: [{ name: 'http', port: 9080 }], selectors: { app: 'reviews' } },
      istioSidecar: true,
      virtualServices: { items: [], permissions: { create: true, update: true, delete: true } },
      destinationRules: { items: [], permissions: { create: true } },
      namespaceMTLS: { status: 'MTLS_NOT_ENABLED' },
      health: { requests: { inbound: {}, outbound: {} } },
      validations: { service: { reviews: { valid: true } } },
    });
    expect(names(svc['workloads'])).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3']);
  });

  it('unknown items and namespaces are 404 with {error, detail}', async () => {
    for (const url of ['namespaces/default/apps/nope', 'namespaces/default/workloads/nope', 'namespaces/default/services/nope', 'namespaces/nope/services']) {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: expect.stringContaining('not found'), detail: expect.stringContaining('NOT_FOUND') });
    }
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { silentLogger } from '@trellis/shared';
import { configApi, LocalRegistry, MemoryConfigStore } from '../index';

const istioGateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway' }, spec: { selector: { istio: 'ingressgateway' }, servers: [] } };
const apiGateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway' },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
};

let app: FastifyInstance;
let store: MemoryConfigStore;

beforeEach(async () => {
  store = new MemoryConfigStore();
  app = Fastify();
  await app.register(configApi, { store, registry: new LocalRegistry(), logger: silentLogger() });
  await app.ready();
});
afterEach(() => app.close());

describe('config API with both Gateway kinds', () => {
  it('lists a Gateway API Gateway by its id (as the CLI asks) and by kubectl names', async () => {
    await store.applyAll([istioGateway, apiGateway]);
    for (const kind of ['KubernetesGateway', 'gtw', 'gateways.gateway.networking.k8s.io']) {
      const res = await app.inject(`/api/v1/config/${kind}`);
      expect(res.statusCode).toBe(200);
      expect((res.json() as { items: { apiVersion: string }[] }).items.map((i) => i.apiVersion)).toEqual(['gateway.networking.k8s.io/v1']);
    }
    expect((await app.inject('/api/v1/config/gw')).json()).toMatchObject({ items: [{ apiVersion: 'networking.istio.io/v1' }] });
  });

  it('deletes the Gateway of the manifest’s group, not the Istio Gateway of the same name', async () => {
    await store.applyAll([istioGateway, apiGateway]);
    const res = await app.inject({ method: 'POST', url: '/api/v1/config/delete', payload: { objects: [apiGateway] } });
    expect(res.json()).toEqual({ results: [expect.objectContaining({ kind: 'KubernetesGateway', name: 'bookinfo-gateway', action: 'deleted' })] });
    expect(store.list().map((c) => c.apiVersion)).toEqual(['networking.istio.io/v1']);
  });
});

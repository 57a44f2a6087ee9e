import { drObject, startFixture, vsObject, type Fixture } from '../testing/fixture';
import { sample, shapeMismatches } from '../testing/shape';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.close();
});
afterEach(async () => {
  const refs = fx.store.list().map((o) => ({ kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name }));
  await fx.store.deleteAll(refs);
});

const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fx.kiali.inject(`/kiali/api/${url}`);
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
};

const gateway = { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway', namespace: 'default' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };

describe('Istio config (contract §4.10)', () => {
  it('pitfall 9: every object type key is present, even when only one type is asked for', async () => {
    const res = await get('namespaces/default/istio?objects=authorizationpolicies');
    expect(res.status).toBe(200);
    expect(shapeMismatches(sample('namespaces_default_istio_objects_authorizationpolicies'), res.body)).toEqual([]);
    expect(res.body['validations']).toEqual({});
  });

  it('lists the stored objects as stored, VirtualServices and DestinationRules wrapped with permissions', async () => {
    await fx.store.applyAll([gateway, vsObject('reviews', [50, 50]), drObject('reviews', ['v1', 'v2'])]);
    const res = await get('namespaces/default/istio');
    const vs = res.body['virtualServices'] as { items: { metadata: { name: string }; spec: unknown }[]; permissions: unknown };
    expect(vs.items.map((i) => i.metadata.name)).toEqual(['reviews']);
    expect(vs.items[0]?.spec).toEqual(vsObject('reviews', [50, 50])['spec']);
    expect(vs.permissions).toEqual({ create: true, update: true, delete: true });
    expect((res.body['gateways'] as { metadata: { name: string } }[]).map((g) => g.metadata.name)).toEqual(['bookinfo-gateway']);
    const filtered = await get('namespaces/default/istio?objects=gateways');
    expect((filtered.body['virtualServices'] as { items: unknown[] }).items).toEqual([]);
  });

  it("Kiali's validation demo: a VirtualService pointing at a missing gateway carries the analyzer's error", async () => {
    const vs = vsObject('ratings', [100]);
    (vs['spec'] as Record<string, unknown>)['gateways'] = ['nonexistent-gateway'];
    await fx.store.applyAll([vs, drObject('ratings', ['v1'])]);
    const res = await get('namespaces/default/istio?validate=true');
    const validations = res.body['validations'] as Record<string, Record<string, { valid: boolean; checks: { code: string; severity: string; message: string }[] }>>;
    expect(validations['virtualservice']?.['ratings']).toMatchObject({ valid: false, checks: [{ code: 'IST0101', severity: 'error', message: expect.stringContaining('nonexistent-gateway') }] });
    expect(validations['destinationrule']?.['ratings']).toMatchObject({ valid: true, checks: [] });
    expect((await get('namespaces/default/validations')).body).toMatchObject({ errors: 1, objectCount: 6 });
  });

  it('answers one object with its permissions and validation, 404 otherwise', async () => {
    await fx.store.applyAll([vsObject('reviews', [50, 50]), drObject('reviews', ['v1', 'v2'])]);
    const one = await get('namespaces/default/istio/virtualservices/reviews?validate=true');
    expect(one.body).toMatchObject({ namespace: { name: 'default' }, virtualService: { metadata: { name: 'reviews' } }, permissions: { update: true }, validation: { name: 'reviews', objectType: 'virtualservice', valid: true } });
    expect((await get('namespaces/default/istio/virtualservices/nope')).status).toBe(404);
    expect((await get('namespaces/default/istio/widgets/x')).status).toBe(404);
    expect((await get('namespaces/default/istio?validate=maybe')).status).toBe(400);
  });
});

import { drObject, startFixture, vsObject, type Fixture } from '../testing/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.close();
});
afterEach(async () => {
  await fx.store.deleteAll(fx.store.list().map((o) => ({ kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name })));
});

/** As the UI sends it: the JSON as a string, which axios labels form-urlencoded. */
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  fx.kiali.inject({ method, url: `/kiali/api/${url}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...(body !== undefined && { payload: JSON.stringify(body) }) });

describe('wizard writes through the control plane', () => {
  it('Traffic Shifting: ratings v1 10 % / v2 90 % creates the DestinationRule and VirtualService in the store', async () => {
    expect((await send('POST', 'namespaces/default/istio/destinationrules', drObject('ratings', ['v1', 'v2']))).statusCode).toBe(200);
    const res = await send('POST', 'namespaces/default/istio/virtualservices', vsObject('ratings', [10, 90]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'VirtualService', metadata: { name: 'ratings', namespace: 'default' } });
    const stored = fx.store.get('VirtualService', 'default', 'ratings');
    expect(stored?.spec).toEqual(vsObject('ratings', [10, 90])['spec']);
    expect(stored?.metadata.labels).toEqual({ kiali_wizard: 'traffic_shifting' });
    expect(fx.store.get('DestinationRule', 'default', 'ratings')).toBeDefined();
    const again = await send('POST', 'namespaces/default/istio/virtualservices', vsObject('ratings', [10, 90]));
    expect(again.statusCode).toBe(409);
  });

  it("drops the UI's null members (gateways: null, annotations: null) as the API server prunes them", async () => {
    const vs = vsObject('reviews', [10, 90, 0]);
    (vs['spec'] as Record<string, unknown>)['gateways'] = null;
    (vs['metadata'] as Record<string, unknown>)['annotations'] = null;
    expect((await send('POST', 'namespaces/default/istio/virtualservices', vs)).statusCode).toBe(200);
    expect(fx.store.get('VirtualService', 'default', 'reviews')?.spec).not.toHaveProperty('gateways');
  });

  it('rejects invalid weights naming the field, applying nothing', async () => {
    const sum = await send('POST', 'namespaces/default/istio/virtualservices', vsObject('ratings', [10, 80]));
    expect(sum.statusCode).toBe(400);
    expect(sum.json()).toEqual({ error: 'VirtualService ratings: spec.http[0].route: total destination weight 90 != 100', detail: 'OBJECT_INVALID; resource: VirtualService/ratings; field: spec.http[0].route' });
    const frac = await send('POST', 'namespaces/default/istio/virtualservices', vsObject('ratings', [10.5, 89.5]));
    expect(frac.statusCode).toBe(400);
    expect(frac.json<{ detail: string }>().detail).toContain('field: spec.http[0].route[0].weight');
    expect(fx.store.list()).toEqual([]);
  });

  it("passes the control plane's schema errors on with the field (422), applying nothing", async () => {
    const dr = drObject('ratings', ['v1']);
    dr['spec'] = { subsets: [] };
    const res = await send('POST', 'namespaces/default/istio/destinationrules', dr);
    expect(res.statusCode).toBe(422);
    expect(res.json<{ detail: string }>().detail).toContain('field: spec.host');
    expect(fx.store.list()).toEqual([]);
  });

  it('PATCH merges into the stored object; DELETE removes it; other types are refused', async () => {
    await send('POST', 'namespaces/default/istio/virtualservices', vsObject('ratings', [10, 90]));
    const patched = await send('PATCH', 'namespaces/default/istio/virtualservices/ratings', { spec: { http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' }, weight: 100 }] }] } });
    expect(patched.statusCode).toBe(200);
    expect(fx.store.get('VirtualService', 'default', 'ratings')?.spec).toEqual({ hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' }, weight: 100 }] }] });
    expect((await send('PATCH', 'namespaces/default/istio/virtualservices/ratings', { spec: { http: [{ route: [{ destination: { host: 'ratings' }, weight: 101 }] }] } })).statusCode).toBe(400);
    expect((await send('DELETE', 'namespaces/default/istio/virtualservices/ratings')).statusCode).toBe(200);
    expect(fx.store.list()).toEqual([]);
    expect((await send('DELETE', 'namespaces/default/istio/virtualservices/ratings')).statusCode).toBe(404);
    expect((await send('POST', 'namespaces/default/istio/authorizationpolicies', { metadata: { name: 'x' }, spec: {} })).statusCode).toBe(403);
  });

  it('bad bodies name the problem', async () => {
    const bad = await fx.kiali.inject({ method: 'POST', url: '/kiali/api/namespaces/default/istio/virtualservices', headers: { 'content-type': 'text/plain' }, payload: '{nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'VirtualService: the body is not valid JSON' });
    const noName = await send('POST', 'namespaces/default/istio/virtualservices', { spec: {} });
    expect(noName.json()).toMatchObject({ error: 'VirtualService: metadata.name is required' });
    const otherNs = await send('POST', 'namespaces/default/istio/virtualservices', { ...vsObject('ratings', [100]), metadata: { name: 'ratings', namespace: 'other' } });
    expect(otherNs.statusCode).toBe(400);
    expect((await send('POST', 'namespaces/nope/istio/virtualservices', vsObject('ratings', [100]))).statusCode).toBe(404);
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';
import { silentLogger } from '@trellis/shared';
import { configApi, LocalRegistry, MemoryConfigStore } from '../index';

const vs = (name: string, subset = 'v1', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, ...extra },
  spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset } }] }] },
});

const dr = (name: string): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name },
  spec: { host: name, subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
});

const service = { ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' as const }], selector: { app: 'reviews' } };

let app: FastifyInstance;
let store: MemoryConfigStore;
let registry: LocalRegistry;

beforeEach(async () => {
  store = new MemoryConfigStore();
  registry = new LocalRegistry();
  app = Fastify();
  await app.register(configApi, { store, registry, logger: silentLogger() });
  await app.ready();
});
afterEach(async () => {
  await app.close();
});

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

describe('config API', () => {
  it('applies objects into the query namespace and reports created/unchanged/configured', async () => {
    const first = await post('/api/v1/config/apply?namespace=bookinfo', { objects: [vs('reviews'), dr('reviews')] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      results: [
        { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', namespace: 'bookinfo', name: 'reviews', action: 'created' },
        { kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1', namespace: 'bookinfo', name: 'reviews', action: 'created' },
      ],
    });
    const again = await post('/api/v1/config/apply?namespace=bookinfo', { objects: [vs('reviews'), vs('ratings', 'v1', { namespace: 'other' })] });
    expect(again.json<{ results: { namespace: string; action: string }[] }>().results.map((r) => `${r.namespace}:${r.action}`)).toEqual([
      'bookinfo:unchanged',
      'other:created',
    ]);
    const changed = await post('/api/v1/config/apply?namespace=bookinfo', { objects: [vs('reviews', 'v2')] });
    expect(changed.json<{ results: { action: string }[] }>().results[0]!.action).toBe('configured');
  });

  it('rejects invalid objects with 422 listing every error, storing nothing', async () => {
    const bad = vs('reviews');
    (bad['spec'] as { http: { route: Record<string, unknown>[] }[] }).http[0]!.route[0]!['weight'] = '50';
    const res = await post('/api/v1/config/apply', { objects: [dr('reviews'), bad, { ...dr('x'), metadata: { name: 'Bad_Name' } }] });
    expect(res.statusCode).toBe(422);
    const body = res.json<{ error: { code: string; message: string; details: unknown[] } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details).toEqual([
      { kind: 'VirtualService', namespace: 'default', name: 'reviews', path: 'spec.http[0].route[0].weight', message: 'must be integer, got string "50"' },
      { kind: 'DestinationRule', namespace: 'default', name: 'Bad_Name', path: 'metadata.name', message: expect.stringContaining('invalid name') },
    ]);
    expect(store.list()).toEqual([]);
  });

  it('answers malformed JSON and bad bodies with 400 BAD_REQUEST', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/config/apply', headers: { 'content-type': 'application/json' }, payload: '{"objects": [' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('BAD_REQUEST');
    const notArray = await post('/api/v1/config/apply', { objects: 'nope' });
    expect(notArray.statusCode).toBe(400);
    expect(notArray.json()).toEqual({ error: { code: 'BAD_REQUEST', message: '"objects" must be an array', details: [{ path: 'objects', message: 'must be an array' }] } });
  });

  it('lists by kind name, plural or short name, gets one object, and 404s', async () => {
    await post('/api/v1/config/apply?namespace=a', { objects: [vs('reviews')] });
    await post('/api/v1/config/apply?namespace=b', { objects: [vs('ratings')] });
    for (const kind of ['VirtualService', 'virtualservice', 'virtualservices', 'vs']) {
      const all = await app.inject(`/api/v1/config/${kind}`);
      expect(all.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name)).toEqual(['reviews', 'ratings']);
    }
    const inA = await app.inject('/api/v1/config/virtualservices?namespace=b');
    expect(inA.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name)).toEqual(['ratings']);
    const one = await app.inject('/api/v1/config/VirtualService/a/reviews');
    expect(one.json()).toMatchObject({ kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'a', generation: 1 } });
    const missing = await app.inject('/api/v1/config/VirtualService/a/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'VirtualService a/nope not found', details: [] } });
    expect((await app.inject('/api/v1/config/widgets')).statusCode).toBe(404);
  });

  it('deletes by body and by URL', async () => {
    await post('/api/v1/config/apply', { objects: [vs('reviews'), vs('ratings'), dr('reviews')] });
    const res = await post('/api/v1/config/delete?namespace=default', {
      objects: [{ kind: 'VirtualService', metadata: { name: 'reviews' } }, { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', metadata: { name: 'gw' } }],
    });
    expect(res.json()).toEqual({
      results: [
        { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', namespace: 'default', name: 'reviews', action: 'deleted' },
        { kind: 'Gateway', apiVersion: 'networking.istio.io/v1beta1', namespace: 'default', name: 'gw', action: 'not found' },
      ],
    });
    const badRef = await post('/api/v1/config/delete', { objects: [{ kind: 'Nope', metadata: {} }] });
    expect(badRef.statusCode).toBe(422);
    expect(badRef.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path)).toEqual(['kind', 'metadata.name']);
    const del = await app.inject({ method: 'DELETE', url: '/api/v1/config/dr/default/reviews' });
    expect(del.json()).toEqual({ results: [{ kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1', namespace: 'default', name: 'reviews', action: 'deleted' }] });
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/config/dr/default/reviews' })).statusCode).toBe(404);
    expect(store.list().map((o) => o.metadata.name)).toEqual(['ratings']);
  });

  it('analyzes stored config overlaid with submitted objects against the registry', async () => {
    registry.upsertService({ name: 'reviews', namespace: 'default', hostname: 'reviews.default.svc.cluster.local', ...service });
    await post('/api/v1/config/apply', { objects: [vs('reviews')] });
    const stored = await post('/api/v1/analyze', {});
    expect(stored.json()).toEqual({
      messages: [
        { level: 'Error', code: 'IST0101', origin: 'VirtualService default/reviews', message: 'Referenced host+subset in destinationrule not found: "reviews+v1"' },
      ],
    });
    const overlay = await post('/api/v1/analyze', { objects: [dr('reviews'), vs('reviews', 'v1')] });
    expect(overlay.json()).toEqual({ messages: [] });
    const replaced = await post('/api/v1/analyze', { objects: [dr('reviews'), vs('reviews', 'v9')], namespace: 'default' });
    expect(replaced.json<{ messages: { message: string }[] }>().messages.map((m) => m.message)).toEqual([
      'Referenced host+subset in destinationrule not found: "reviews+v9"',
    ]);
    expect((await post('/api/v1/analyze', { namespace: 'elsewhere' })).json()).toEqual({ messages: [] });
    const invalid = await post('/api/v1/analyze', { objects: [{ ...dr('x'), spec: {} }] });
    expect(invalid.json<{ messages: unknown[] }>().messages).toContainEqual({
      level: 'Error',
      code: 'IST0106',
      origin: 'DestinationRule default/x',
      message: 'Schema validation error: spec.host: required field is missing',
    });
    expect(store.list()).toHaveLength(1);
  });
});

describe('registry API', () => {
  const workload = { address: '127.0.0.2', labels: { app: 'reviews', version: 'v1' }, serviceAccount: 'bookinfo-reviews', sidecar: true, ready: true };

  it('puts, lists and deletes services and workloads', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/v1/registry/services/default/reviews', payload: service });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ action: 'created', item: { name: 'reviews', namespace: 'default', hostname: 'reviews.default.svc.cluster.local' } });
    await app.inject({ method: 'PUT', url: '/api/v1/registry/workloads/default/reviews-v1-abc', payload: workload });
    expect((await app.inject('/api/v1/registry/services')).json()).toEqual({ items: [expect.objectContaining({ name: 'reviews' })] });
    expect((await app.inject('/api/v1/registry/workloads')).json()).toEqual({ items: [expect.objectContaining({ name: 'reviews-v1-abc', namespace: 'default' })] });
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/registry/workloads/default/reviews-v1-abc' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/registry/workloads/default/reviews-v1-abc' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/registry/services/default/reviews' })).statusCode).toBe(200);
    expect(registry.services()).toEqual([]);
  });

  it('rejects invalid bodies with 400 naming the fields', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/registry/services/default/reviews',
      payload: { name: 'other', ports: [{ name: 'http', port: 'x', targetPort: 9080, protocol: 'HTTP' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', details: [{ path: 'name', message: 'must match the URL ("reviews")' }] } });
    const wl = await app.inject({ method: 'PUT', url: '/api/v1/registry/workloads/default/w', payload: { ...workload, ready: 'yes', extra: 1 } });
    expect(wl.statusCode).toBe(400);
    expect(wl.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path).sort()).toEqual(['extra', 'ready']);
  });
});

describe('config API over a real socket', () => {
  it('serves apply and get on a listening server', async () => {
    const server = Fastify();
    await server.register(configApi, { store: new MemoryConfigStore(), registry: new LocalRegistry(), logger: silentLogger() });
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const applied = await request(`${address}/api/v1/config/apply?namespace=default`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ objects: [vs('reviews')] }),
      });
      expect(applied.statusCode).toBe(200);
      expect(await applied.body.json()).toMatchObject({ results: [{ action: 'created' }] });
      const got = await request(`${address}/api/v1/config/virtualservices/default/reviews`);
      expect(await got.body.json()).toMatchObject({ metadata: { name: 'reviews' } });
      const bad = await request(`${address}/api/v1/config/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      expect(bad.statusCode).toBe(400);
      expect(await bad.body.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    } finally {
      await server.close();
    }
  });
});

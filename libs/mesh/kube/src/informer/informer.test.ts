import { isGone } from '../client/errors';
import type { KubeObject } from '../client/types';
import { adminClient, createNamespace, ensureCrds, eventually } from '../testing/kube-test-env';
import { Informer } from './informer';
import type { InformerEvent } from './informer-events';

const NS = 'kube-informer';
const client = adminClient();
const cmPath = `/api/v1/namespaces/${NS}/configmaps`;
// Custom resources: their watch cache starts when the CRD is established, so an early resourceVersion is expired
// (core resources' caches start with the server, where '1' may still be inside the window).
const vsPath = `/apis/networking.istio.io/v1/namespaces/${NS}/virtualservices`;
const vs = (name: string): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name }, spec: { hosts: [name] } });
const configMap = (name: string, data: Record<string, string> = {}): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS), ensureCrds(client)]);
  await client.request('POST', vsPath, { body: vs('first') });
});
afterAll(() => client.close());

describe('Informer (real kube-apiserver)', () => {
  it('lists, then watches adds, updates and deletes with bookmarks enabled', async () => {
    await client.request('POST', cmPath, { body: configMap('before') });
    const informer = new Informer<KubeObject>({ client, path: cmPath }).start();
    const events: InformerEvent<KubeObject>[] = [];
    informer.onEvents((batch) => events.push(...batch));
    await informer.ready();
    expect(informer.list().map((o) => o.metadata.name)).toContain('before');
    expect(informer.get(NS, 'before')?.kind).toBe('ConfigMap');

    await client.request('POST', cmPath, { body: configMap('after') });
    await client.request('PUT', `${cmPath}/after`, { body: configMap('after', { k: 'v' }) });
    await client.request('DELETE', `${cmPath}/before`);
    await eventually('watch events', () => (events.some((e) => e.type === 'deleted' && e.object.metadata.name === 'before') ? true : undefined));
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(expect.arrayContaining(['added after', 'modified after', 'deleted before']));
    expect(informer.get(NS, 'before')).toBeUndefined();
    expect(informer.stats).toMatchObject({ lists: 1, expired: 0, errors: 0 });
    await informer.stop();
  });

  it('a watch from an expired resourceVersion gets 410 Gone', async () => {
    const abort = new AbortController();
    let error: unknown;
    await client
      .watch(vsPath, { resourceVersion: '1' }, (e) => {
        if (e.type === 'ERROR') {
          error = e.object;
          abort.abort();
        }
      }, abort.signal, 10_000)
      .catch((err: unknown) => (error = isGone(err) ? { code: 410, reason: 'Expired' } : err));
    expect(error).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('re-lists after 410 Gone and emits the difference (resume from a stale cache)', async () => {
    await client.request('POST', vsPath, { body: vs('current') });
    const stale: KubeObject = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'stale', namespace: NS, resourceVersion: '2' } };
    const informer = new Informer<KubeObject>({ client, path: vsPath, resume: { resourceVersion: '1', items: [stale] } });
    const events: InformerEvent<KubeObject>[] = [];
    informer.onEvents((batch) => events.push(...batch));
    informer.start();
    await eventually('re-list', () => (informer.stats.lists > 0 ? true : undefined));
    expect(informer.stats.expired).toBeGreaterThanOrEqual(1);
    expect(informer.get(NS, 'stale')).toBeUndefined();
    expect(informer.get(NS, 'current')).toBeDefined();
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'deleted', object: stale })]));
    // …and keeps watching afterwards
    await client.request('POST', vsPath, { body: vs('later') });
    await eventually('later', () => informer.get(NS, 'later'));
    await informer.stop();
  });

  it('backs off while the resource is not served, and stops cleanly', async () => {
    const informer = new Informer<KubeObject>({ client, path: '/apis/example.com/v1/widgets', backoff: { initialMs: 20, maxMs: 100 } }).start();
    await eventually('errors', () => (informer.stats.errors >= 3 ? true : undefined));
    const started = Date.now();
    await informer.stop();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(informer.ready()).rejects.toMatchObject({ code: 'INFORMER_STOPPED' });
  });
});

import { isTrellisError } from '@trellis/shared';
import { namespaceLabelCache, type NamespaceReader } from './namespace-labels';

class FakeReader implements NamespaceReader {
  calls = 0;
  fail?: { code: number };
  labels: Record<string, Record<string, string>> = { bookinfo: { 'istio-injection': 'enabled' } };
  async readNamespace({ name }: { name: string }): Promise<{ metadata?: { labels?: Record<string, string> } }> {
    this.calls++;
    if (this.fail) throw Object.assign(new Error('boom'), this.fail);
    const labels = this.labels[name];
    if (!labels) throw Object.assign(new Error('not found'), { code: 404 });
    return { metadata: { labels } };
  }
}

describe('namespaceLabelCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('reuses a lookup within the TTL and shares concurrent ones', async () => {
    const reader = new FakeReader();
    const cache = namespaceLabelCache(reader, { ttlMs: 1000, now: clock });
    const [a, b] = await Promise.all([cache.get('bookinfo'), cache.get('bookinfo')]);
    expect(a).toEqual({ 'istio-injection': 'enabled' });
    expect(b).toEqual(a);
    now = 999;
    await cache.get('bookinfo');
    expect(reader.calls).toBe(1);
    now = 1000;
    reader.labels['bookinfo'] = {};
    expect(await cache.get('bookinfo')).toEqual({});
    expect(reader.calls).toBe(2);
  });

  it('treats a missing namespace as unlabelled', async () => {
    expect(await namespaceLabelCache(new FakeReader()).get('nope')).toEqual({});
  });

  it('throws a typed error on API failures and does not cache them', async () => {
    const reader = new FakeReader();
    reader.fail = { code: 403 };
    const cache = namespaceLabelCache(reader, { now: clock });
    const err: unknown = await cache.get('bookinfo').catch((e: unknown) => e);
    expect(isTrellisError(err) && err.code).toBe('INJECTOR_NAMESPACE_LOOKUP_FAILED');
    expect(isTrellisError(err) && err.context).toMatchObject({ namespace: 'bookinfo', status: 403 });
    delete reader.fail;
    expect(await cache.get('bookinfo')).toEqual({ 'istio-injection': 'enabled' });
  });
});

import type { ConfigChange } from '@trellis/mesh-config';
import { kubeErrorContext } from '../client/errors';
import type { KubeList, KubeObject } from '../client/types';
import { adminClient, createNamespace, ensureCrds, eventually, kubectl } from '../testing/kube-test-env';
import { KubeConfigStore } from './kube-config-store';

const NS = 'kube-config';
const client = adminClient();
let store: KubeConfigStore;
const changes: ConfigChange[] = [];

const vs = (name: string, weight: unknown = 100, apiVersion = 'networking.istio.io/v1alpha3'): Record<string, unknown> => ({
  apiVersion,
  kind: 'VirtualService',
  metadata: { name, namespace: NS },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight }] }] },
});
const dr = (name: string, subsets: string[]): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'DestinationRule',
  metadata: { name, namespace: NS },
  spec: { host: 'reviews', subsets: subsets.map((s) => ({ name: s, labels: { version: s } })) },
});

interface KubeEvent extends KubeObject {
  reason?: string;
  type?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string };
}

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS), ensureCrds(client)]);
  store = await KubeConfigStore.start({ client });
  store.onChange((c) => changes.push(...c));
  await store.ready();
});
afterAll(async () => {
  await store.stop();
  client.close();
});

describe('Istio CRDs on a real API server', () => {
  it('serve v1alpha3/v1beta1/v1 with short names and printer columns', async () => {
    // Every kind at v1, except EnvoyFilter, which Istio serves as v1alpha3 only.
    expect(Object.entries(store.versions).filter(([, v]) => v !== 'v1')).toEqual([['EnvoyFilter', 'v1alpha3']]);
    expect(Object.values(store.versions)).toHaveLength(10);
    await store.applyAll([vs('columns')]);
    const got = await kubectl(['get', 'vs', '-n', NS]);
    expect(got).toMatchObject({ code: 0, stderr: '' });
    expect(got.stdout).toMatch(/^NAME\s+GATEWAYS\s+HOSTS\s+AGE/);
    expect(got.stdout).toMatch(/columns\s+\["reviews"\]/);
    const dr1 = await kubectl(['get', 'dr,gw,se,pa,ap,ra,sidecars', '-n', NS]);
    expect(dr1.code).toBe(0);
  });

  it('rejects a string weight server-side (CRD schema), naming the field', async () => {
    // --validate=false skips kubectl's own OpenAPI check: this is the API server's answer
    const bad = await kubectl(['apply', '--validate=false', '-f', '-'], JSON.stringify(vs('bad-weight', '50')));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/spec\.http\.route\.weight.*must be of type integer/);
    const raw = await client
      .request('POST', `/apis/networking.istio.io/v1alpha3/namespaces/${NS}/virtualservices`, { body: vs('bad-weight', '50') })
      .catch((err: unknown) => kubeErrorContext(err));
    expect(raw).toMatchObject({ status: 422, reason: 'Invalid', causes: [expect.objectContaining({ field: 'spec.http.route.weight' })] });
    // the store validates before writing, with the full path
    await expect(store.applyAll([vs('bad-weight', '50')])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      context: { details: [expect.objectContaining({ path: 'spec.http[0].route[0].weight' })] },
    });
  });
});

describe('KubeConfigStore', () => {
  it('does not serve a semantically invalid object and reports a ValidationFailed Warning Event', async () => {
    const applied = await kubectl(['apply', '-f', '-'], JSON.stringify(dr('dup', ['v1', 'v1'])));
    expect(applied.code).toBe(0);
    const event = await eventually('ValidationFailed event', async () => {
      const list = await client.request<KubeList<KubeEvent>>('GET', `/api/v1/namespaces/${NS}/events`, { query: { fieldSelector: 'reason=ValidationFailed' } });
      return list.items.find((e) => e.involvedObject?.name === 'dup');
    });
    expect(event).toMatchObject({ type: 'Warning', involvedObject: { kind: 'DestinationRule', name: 'dup' } });
    expect(event.message).toContain('spec.subsets[1].name: duplicate subset name "v1"');
    expect(store.get('DestinationRule', NS, 'dup')).toBeUndefined();
    const described = await kubectl(['describe', 'dr', 'dup', '-n', NS]);
    expect(described.stdout).toMatch(/Warning\s+ValidationFailed/);

    // fixing it makes it served
    await kubectl(['apply', '-f', '-'], JSON.stringify(dr('dup', ['v1', 'v2'])));
    await eventually('served DR', () => store.get('DestinationRule', NS, 'dup'));
  });

  it('applies through the API (create / unchanged / configure) and reads its writes', async () => {
    changes.length = 0;
    expect(await store.applyAll([vs('reviews')])).toEqual([
      { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1alpha3', namespace: NS, name: 'reviews', action: 'created' },
    ]);
    const served = store.get('VirtualService', NS, 'reviews');
    expect(served).toMatchObject({ apiVersion: 'networking.istio.io/v1', metadata: { generation: 1, namespace: NS } });
    expect(Object.isFrozen(served)).toBe(true);
    expect(changes).toEqual([{ kind: 'VirtualService', namespace: NS, name: 'reviews', action: 'created' }]);
    expect((await store.applyAll([vs('reviews')]))[0]?.action).toBe('unchanged');
    expect((await store.applyAll([vs('reviews', 90, 'networking.istio.io/v1')]))[0]?.action).toBe('configured');
    expect(store.get('VirtualService', NS, 'reviews')?.metadata.generation).toBe(2);
    expect(store.list('VirtualService', NS).map((o) => o.metadata.name)).toContain('reviews');
  });

  it('sees changes made with kubectl and deletes through the API', async () => {
    changes.length = 0;
    const edited = await kubectl(['label', 'vs', 'reviews', '-n', NS, 'team=a']);
    expect(edited.code).toBe(0);
    await eventually('label', () => store.get('VirtualService', NS, 'reviews')?.metadata.labels?.['team']);
    expect(changes).toContainEqual({ kind: 'VirtualService', namespace: NS, name: 'reviews', action: 'configured' });

    const refs = [{ kind: 'VirtualService' as const, namespace: NS, name: 'reviews' }];
    expect((await store.deleteAll(refs))[0]).toMatchObject({ action: 'deleted', apiVersion: 'networking.istio.io/v1' });
    expect(store.get('VirtualService', NS, 'reviews')).toBeUndefined();
    expect(changes).toContainEqual({ kind: 'VirtualService', namespace: NS, name: 'reviews', action: 'deleted' });
    expect((await store.deleteAll(refs))[0]?.action).toBe('not found');
  });
});

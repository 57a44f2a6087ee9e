import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTrellisError } from '@trellis/shared';
import { FileConfigStore, MemoryConfigStore, type ConfigChange, type ConfigStore } from '../index';

const vs = (name: string, subset = 'v1', namespace?: string): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
  spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset } }] }] },
});

let clock = 0;
const now = (): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++));

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const kinds: [string, () => Promise<ConfigStore>][] = [
  ['MemoryConfigStore', async () => new MemoryConfigStore({ now })],
  ['FileConfigStore', () => FileConfigStore.open(dir, { now })],
];

describe.each(kinds)('%s', (_name, make) => {
  it('reports created, unchanged and configured, and keeps server metadata', async () => {
    const store = await make();
    expect(await store.applyAll([vs('reviews')], { namespace: 'default' })).toEqual([
      { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', namespace: 'default', name: 'reviews', action: 'created' },
    ]);
    const first = store.get('VirtualService', 'default', 'reviews')!;
    expect(first.metadata).toMatchObject({ generation: 1, resourceVersion: expect.any(String), creationTimestamp: expect.stringMatching(/Z$/) });
    expect((await store.applyAll([vs('reviews')]))[0]!.action).toBe('unchanged');
    expect(store.get('VirtualService', 'default', 'reviews')).toBe(first);
    expect((await store.applyAll([vs('reviews', 'v2')]))[0]!.action).toBe('configured');
    const second = store.get('VirtualService', 'default', 'reviews')!;
    expect(second.metadata.generation).toBe(2);
    expect(second.metadata.creationTimestamp).toBe(first.metadata.creationTimestamp);
    expect(Number(second.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
    expect(Object.isFrozen(second.spec)).toBe(true);
  });

  it('applies all or nothing and lists every error', async () => {
    const store = await make();
    const bad = vs('ratings');
    (bad['spec'] as { http: { route: { weight?: unknown }[] }[] }).http[0]!.route[0]!.weight = 'ten';
    const err = await store.applyAll([vs('reviews'), bad, { kind: 'Nope', metadata: { name: 'x' } }]).catch((e: unknown) => e);
    expect(isTrellisError(err) && err.code).toBe('VALIDATION_FAILED');
    const details = (err as { context: { details: { name: string; path: string }[] } }).context.details;
    expect(details.map((d) => `${d.name}:${d.path}`)).toEqual(['ratings:spec.http[0].route[0].weight', 'x:kind']);
    expect(store.list()).toEqual([]);
  });

  it('lists by kind and namespace, deletes, and notifies listeners once per change', async () => {
    const store = await make();
    const changes: ConfigChange[][] = [];
    const unsubscribe = store.onChange((c) => changes.push([...c]));
    await store.applyAll([vs('a', 'v1', 'x'), vs('b', 'v1', 'y')]);
    await store.applyAll([vs('a', 'v1', 'x')]);
    expect(store.list('VirtualService', 'x').map((o) => o.metadata.name)).toEqual(['a']);
    expect(store.list('DestinationRule')).toEqual([]);
    expect(await store.deleteAll([{ kind: 'VirtualService', namespace: 'x', name: 'a' }, { kind: 'Gateway', namespace: 'x', name: 'gw' }])).toEqual([
      { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', namespace: 'x', name: 'a', action: 'deleted' },
      { kind: 'Gateway', apiVersion: 'networking.istio.io/v1', namespace: 'x', name: 'gw', action: 'not found' },
    ]);
    unsubscribe();
    await store.deleteAll([{ kind: 'VirtualService', namespace: 'y', name: 'b' }]);
    expect(changes).toEqual([
      [
        { kind: 'VirtualService', namespace: 'x', name: 'a', action: 'created' },
        { kind: 'VirtualService', namespace: 'y', name: 'b', action: 'created' },
      ],
      [{ kind: 'VirtualService', namespace: 'x', name: 'a', action: 'deleted' }],
    ]);
  });

  it('serializes concurrent applies', async () => {
    const store = await make();
    const results = await Promise.all([store.applyAll([vs('r', 'v1')]), store.applyAll([vs('r', 'v2')]), store.applyAll([vs('r', 'v2')])]);
    expect(results.map((r) => r[0]!.action)).toEqual(['created', 'configured', 'unchanged']);
  });
});

describe('FileConfigStore persistence', () => {
  it('writes <stateDir>/config/<Kind>/<namespace>/<name>.yaml atomically and survives a restart', async () => {
    const store = await FileConfigStore.open(dir, { now });
    await store.applyAll([vs('reviews', 'v3')], { namespace: 'bookinfo' });
    const file = join(dir, 'config', 'VirtualService', 'bookinfo', 'reviews.yaml');
    expect(await readFile(file, 'utf8')).toContain('subset: v3');
    expect(await readdir(join(dir, 'config', 'VirtualService', 'bookinfo'))).toEqual(['reviews.yaml']);

    const reopened = await FileConfigStore.open(dir, { now });
    expect(reopened.loadErrors).toEqual([]);
    expect(reopened.get('VirtualService', 'bookinfo', 'reviews')).toEqual(store.get('VirtualService', 'bookinfo', 'reviews'));
    const [result] = await reopened.applyAll([vs('other')]);
    expect(result!.action).toBe('created');
    expect(Number(reopened.get('VirtualService', 'default', 'other')!.metadata.resourceVersion)).toBeGreaterThan(
      Number(reopened.get('VirtualService', 'bookinfo', 'reviews')!.metadata.resourceVersion),
    );

    await reopened.deleteAll([{ kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' }]);
    expect((await FileConfigStore.open(dir)).list().map((o) => o.metadata.name)).toEqual(['other']);
  });

  it('reports corrupt or misplaced files without failing to start', async () => {
    const base = join(dir, 'config', 'VirtualService', 'default');
    await mkdir(base, { recursive: true });
    await writeFile(join(base, 'broken.yaml'), 'kind: [unclosed\n');
    await writeFile(join(base, 'invalid.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: invalid}\nspec: {http: 3}\n');
    await writeFile(join(base, 'elsewhere.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: moved}\nspec: {}\n');
    await writeFile(join(base, 'good.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: good, namespace: default}\nspec: {hosts: [good]}\n');
    const store = await FileConfigStore.open(dir);
    expect(store.list().map((o) => o.metadata.name)).toEqual(['good']);
    expect(store.loadErrors.map((e) => e.file.split('/').pop()).sort()).toEqual(['broken.yaml', 'elsewhere.yaml', 'invalid.yaml']);
    expect(store.loadErrors.find((e) => e.file.endsWith('invalid.yaml'))!.message).toContain('spec.http');
  });
});

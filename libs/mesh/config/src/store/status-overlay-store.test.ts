import { MemoryConfigStore } from './memory-store';
import { StatusOverlayStore } from './status-overlay-store';

describe('StatusOverlayStore', () => {
  it('adds the computed status to reads and passes writes and events through', async () => {
    const inner = new MemoryConfigStore();
    const store = new StatusOverlayStore(inner, (c) => (c.metadata.name === 'a' ? { conditions: [{ type: 'Programmed', status: 'True' }] } : undefined));
    const changes: string[] = [];
    store.onChange((c) => changes.push(...c.map((x) => `${x.action} ${x.name}`)));
    const dr = (name: string): unknown => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name }, spec: { host: name } });
    await store.applyAll([dr('a'), dr('b')]);
    expect(changes).toEqual(['created a', 'created b']);
    expect(store.list().map((c) => (c as { status?: unknown }).status)).toEqual([{ conditions: [{ type: 'Programmed', status: 'True' }] }, undefined]);
    expect((store.get('DestinationRule', 'default', 'a') as { status?: unknown }).status).toBeDefined();
    expect((inner.get('DestinationRule', 'default', 'a') as { status?: unknown }).status).toBeUndefined();
    expect(await store.deleteAll([{ kind: 'DestinationRule', namespace: 'default', name: 'b' }])).toEqual([expect.objectContaining({ action: 'deleted' })]);
  });
});

/**
 * The control plane in-process: a restart on the same state dir keeps everything the config API
 * accepted (and nothing it rejected).
 */
import { makeStateDir, removeStateDir, startTestControlPlane, type TestControlPlane } from './testing/harness';

const virtualService = (weights: [unknown, unknown]): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: weights[0] },
          { destination: { host: 'reviews', subset: 'v2' }, weight: weights[1] },
        ],
      },
    ],
  },
});

describe('control plane', () => {
  let stateDir: string;
  let running: TestControlPlane | undefined;

  beforeAll(async () => {
    stateDir = await makeStateDir();
  });

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  afterAll(async () => {
    await removeStateDir(stateDir);
  });

  it('binds ephemeral ports and reports ready', async () => {
    running = await startTestControlPlane(stateDir);
    expect(running.cp.xdsPort).toBeGreaterThan(0);
    expect(running.cp.httpPort).toBeGreaterThan(0);
    expect(running.cp.xdsPort).not.toBe(running.cp.httpPort);
    expect(await running.api('GET', '/ready')).toEqual({ status: 200, body: 'ready' });
    expect(await running.api('GET', '/debug/syncz')).toEqual({ status: 200, body: [] });
  });

  it('a restart on the same state dir loses nothing that was accepted', async () => {
    running = await startTestControlPlane(stateDir);
    const accepted = await running.api('POST', '/api/v1/config/apply?namespace=default', { objects: [virtualService([80, 20])] });
    expect(accepted.status).toBe(200);
    const rejected = await running.api('POST', '/api/v1/config/apply?namespace=default', { objects: [virtualService(['50', 50])] });
    expect(rejected.status).toBe(422);
    await running.close();
    running = undefined;

    running = await startTestControlPlane(stateDir);
    const list = await running.api('GET', '/api/v1/config/VirtualService');
    expect(list.status).toBe(200);
    const items = (list.body as { items: Array<{ metadata: { name: string; namespace: string }; spec: unknown }> }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: virtualService([80, 20])['spec'] as Record<string, unknown>,
    });
    const one = await running.api('GET', '/api/v1/config/VirtualService/default/reviews');
    expect(one.status).toBe(200);
  });
});

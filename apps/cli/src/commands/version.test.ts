import type { SyncStatus } from '../client/api-types';
import { startFakeControlPlane, runCli, type FakeControlPlane } from '../testing/fake-control-plane';

// istioctl version: client, control plane, then data plane with the proxies' versions and count.
describe('trellis version', () => {
  let cp: FakeControlPlane;
  const cli = (...argv: string[]) => runCli(['--addr', cp.url, ...argv]);
  const proxy = (id: string, proxyVersion: string) => ({ id, proxy: { id }, connectedAt: '', types: {}, proxyVersion }) as unknown as SyncStatus;

  beforeAll(async () => {
    cp = await startFakeControlPlane();
  });
  afterAll(() => cp.close());

  it('prints client, control plane and data plane versions as istioctl does', async () => {
    expect(await cli('version')).toEqual({ code: 0, stdout: 'client version: 0.1.0\ncontrol plane version: 0.1.0-fake\ndata plane version: none\n', stderr: '' });
    cp.syncz.push(proxy('productpage-v1.default', '0.1.0'), proxy('istio-ingressgateway.istio-system', '0.1.0'));
    expect((await cli('version')).stdout).toBe('client version: 0.1.0\ncontrol plane version: 0.1.0-fake\ndata plane version: 0.1.0 (2 proxies)\n');
    cp.syncz.push(proxy('reviews-v1.default', '0.0.9'));
    expect((await cli('version', '--short')).stdout).toBe('client version: 0.1.0\ncontrol plane version: 0.1.0-fake\ndata plane version: 0.0.9 (1 proxies), 0.1.0 (2 proxies)\n');
    expect((await cli('version', '--remote=false')).stdout).toBe('client version: 0.1.0\n');
  });
});

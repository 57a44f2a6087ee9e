import path from 'node:path';
import type { KubeClient } from '../client/kube-client';
import { KubeConfigStore } from '../config/kube-config-store';
import { KubeRegistry } from '../registry/kube-registry';
import { adminClient, createNamespace, ensureCrds, eventually, kubectl } from '../testing/kube-test-env';
import { GatewayApiController } from './gateway-api-controller';
import { installGatewayApiCrds } from './install-gateway-api-crds';
import { loadGatewayApiManifests } from './load-gateway-api-manifests';

// A gateway deployment the API server refuses once (a fresh API server cannot allocate a Service IP
// yet, a timeout, a webhook) is retried with back-off, although nothing changes after it.
const NS = 'gwapi-retry';
const client = adminClient();
let refused = 0;
const SERVICE_PATH = `/api/v1/namespaces/${NS}/services/retry-gateway-istio`;
/**
 * The admin client, except that the first two applies of the gateway's Service fail as a 500 would: the
 * first failed run writes the Gateway's status (an event that runs the controller again), the second
 * changes nothing, so only a retry can deploy it.
 */
const flaky = new Proxy(client, {
  get(target, prop) {
    if (prop === 'request') {
      return async (method: string, p: string, options?: object): Promise<unknown> => {
        if (method === 'PATCH' && p === SERVICE_PATH && refused++ < 2) throw new Error('Internal error occurred: failed to allocate a serviceIP (injected)');
        return target.request(method, p, options);
      };
    }
    const value: unknown = Reflect.get(target, prop);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
}) as KubeClient;
let store: KubeConfigStore;
let registry: KubeRegistry;
let controller: GatewayApiController;

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS), ensureCrds(client)]);
  await installGatewayApiCrds(client, await loadGatewayApiManifests(path.join(__dirname, '../../../../../deploy/gateway-api')));
  store = await KubeConfigStore.start({ client });
  registry = await KubeRegistry.start({ client });
  await Promise.all([store.ready(), registry.ready()]);
  controller = await new GatewayApiController({ client: flaky, store, registry, workload: { proxyImage: 'trellis/proxy:dev', xdsAddress: 'istiod.istio-system.svc:15010' }, debounceMs: 20, retryBaseMs: 200 }).start();
}, 60_000);
afterAll(async () => {
  await controller?.stop();
  await Promise.all([store?.stop(), registry?.stop()]);
  client.close();
});

it('retries a gateway deployment the API server refused, with nothing else changing', async () => {
  const gw = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
    metadata: { name: 'retry-gateway', namespace: NS, annotations: { 'networking.istio.io/service-type': 'ClusterIP' } },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  };
  expect((await kubectl(['apply', '-f', '-'], JSON.stringify(gw))).code).toBe(0);
  const svc = await eventually('Service retry-gateway-istio', async () => {
    const got = await kubectl(['get', 'svc', '-n', NS, 'retry-gateway-istio', '-o', 'jsonpath={.spec.type}']);
    return got.stdout === '' ? undefined : got.stdout;
  }, 20_000);
  expect(svc).toBe('ClusterIP');
  expect(refused).toBeGreaterThanOrEqual(3);
});

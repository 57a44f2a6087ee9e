import path from 'node:path';
import pino from 'pino';
import { GATEWAY_API_KINDS } from '@trellis/mesh-api';
import type { GatewayApiStatus, GatewayDeployment } from '@trellis/mesh-gateway-api';
import { KubeConfigStore } from '../config/kube-config-store';
import { KubeRegistry } from '../registry/kube-registry';
import { GatewayApiController } from './gateway-api-controller';
import type { KubeObject } from '../client/types';
import { adminClient, createNamespace, ensureCrds, eventually, kubectl } from '../testing/kube-test-env';
import { GatewayDeployer } from './gateway-deployer';
import { GatewayServices } from './gateway-services';
import { installGatewayApiCrds } from './install-gateway-api-crds';
import { loadGatewayApiManifests } from './load-gateway-api-manifests';
import { GatewayApiStatusWriter } from './status-writer';

const NS = 'gwapi-runtime';
const client = adminClient();
const services = new GatewayServices(client, 'cluster.local');
// the deployer's warnings say why a deployment failed; the first test's timeout message carries the last one
let lastWarning = '';
const logger = pino({ level: 'warn' }, { write: (line: string) => void (lastWarning = line.trim()) });
const deployer = new GatewayDeployer({ client, services, logger, workload: { proxyImage: 'trellis/proxy:dev', xdsAddress: 'istiod.istio-system.svc:15010', caAddress: 'istiod.istio-system.svc:15012' } });
let now = new Date('2026-01-01T00:00:00Z');
const writer = new GatewayApiStatusWriter({ client, controllerName: 'istio.io/gateway-controller', now: () => now });

const GW = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway', namespace: NS, annotations: { 'networking.istio.io/service-type': 'ClusterIP' } }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
const DEPLOYMENT: GatewayDeployment = { namespace: NS, name: 'bookinfo-gateway', serviceName: 'bookinfo-gateway-istio', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], labels: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'istio.io/gateway-name': 'bookinfo-gateway' } };
const gateways = [{ namespace: NS, name: 'bookinfo-gateway', className: 'istio', annotations: GW.metadata.annotations }];
const cond = (type: string, status: string, reason: string): Record<string, unknown> => ({ type, status, reason, message: `${type} ${status}`, observedGeneration: 1 });
const gatewayStatus = (programmed: string, addresses: string[]): GatewayApiStatus => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  namespace: NS,
  name: 'bookinfo-gateway',
  observedGeneration: 1,
  status: {
    addresses: addresses.map((value) => ({ type: 'Hostname', value })),
    conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', programmed, programmed === 'True' ? 'Programmed' : 'AddressNotAssigned')],
    listeners: [{ name: 'http', attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] }],
  },
});

interface Obj extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { uid: string; kind: string }[] };
  spec?: Record<string, unknown>;
  status?: { conditions?: { type: string; lastTransitionTime: string }[]; parents?: { controllerName: string }[] };
}

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS), ensureCrds(client)]);
  await installGatewayApiCrds(client, await loadGatewayApiManifests(path.join(__dirname, '../../../../../deploy/gateway-api')));
  await services.start().ready();
  expect((await kubectl(['apply', '-f', '-'], JSON.stringify(GW))).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await services.stop();
  client.close();
});

describe('Gateway API runtime on a real API server', () => {
  it("deploys a Gateway as Istio does: ServiceAccount, Deployment and Service <name>-istio owned by the Gateway", async () => {
    // As the controller does (gateway-retry.kube.test.ts): a deployment the API server refused is retried.
    // This suite may be the first on a fresh API server, which can refuse Services until it can allocate their IPs.
    const deployed = async (): Promise<string> => {
      if ((await deployer.reconcile([DEPLOYMENT], gateways)) === 0) return 'deployed';
      throw new Error(lastWarning);
    };
    expect(await eventually('the gateway deployed', deployed, 45_000)).toBe('deployed');
    const gw = await client.request<Obj>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/gateways/bookinfo-gateway`);
    const dep = await client.request<Obj>('GET', `/apis/apps/v1/namespaces/${NS}/deployments/bookinfo-gateway-istio`);
    expect(dep.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', uid: gw.metadata.uid })]);
    const pod = (dep.spec as { template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; containers: { args: string[]; env: { name: string; value?: string }[]; securityContext: Record<string, unknown> }[] } } }).template;
    expect(pod.metadata.labels).toMatchObject({ 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'istio.io/gateway-name': 'bookinfo-gateway', 'sidecar.istio.io/inject': 'false' });
    expect(pod.spec.serviceAccountName).toBe('bookinfo-gateway-istio');
    const proxy = pod.spec.containers[0];
    expect(proxy?.args).toEqual(['--mode', 'router']);
    expect(JSON.parse(proxy?.env.find((e) => e.name === 'TRELLIS_POD_LABELS')?.value ?? '{}')).toEqual(pod.metadata.labels);
    // Kubernetes 1.20: no safe unprivileged-port sysctl, so port 80 needs NET_BIND_SERVICE (Istio's template before 1.22)
    expect(proxy?.securityContext).toMatchObject({ runAsUser: 0, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
    const svc = await eventually('kubectl get svc bookinfo-gateway-istio', async () => {
      const got = await kubectl(['get', 'svc', 'bookinfo-gateway-istio', '-n', NS, '-o', 'jsonpath={.spec.type} {.spec.ports[*].name} {.spec.ports[*].port}']);
      if (got.code !== 0) throw new Error(`kubectl exited ${got.code}: ${got.stderr.trim()}`);
      return got.stdout;
    });
    expect(svc).toBe('ClusterIP status-port http 15021 80');
    expect(await eventually('the Service in the informer', () => services.addresses().get(`${NS}/bookinfo-gateway`))).toEqual([`bookinfo-gateway-istio.${NS}.svc.cluster.local`]);
    expect((await client.request<Obj>('GET', `/api/v1/namespaces/${NS}/serviceaccounts/bookinfo-gateway-istio`)).metadata.ownerReferences?.[0]?.uid).toBe(gw.metadata.uid);
  });

  it('writes status only when it changes, so `kubectl wait --for=condition=programmed` and `kubectl get gtw` work', async () => {
    expect(await writer.write([gatewayStatus('False', [])])).toEqual({ written: 1, unchanged: 0, failed: 0 });
    expect(await writer.write([gatewayStatus('False', [])])).toEqual({ written: 0, unchanged: 1, failed: 0 });
    now = new Date('2026-01-01T00:01:00Z');
    const addr = `bookinfo-gateway-istio.${NS}.svc.cluster.local`;
    expect(await writer.write([gatewayStatus('True', [addr])])).toEqual({ written: 1, unchanged: 0, failed: 0 });
    const wait = await kubectl(['wait', '--for=condition=programmed', 'gtw/bookinfo-gateway', '-n', NS, '--timeout=10s']);
    expect(wait).toMatchObject({ code: 0, stdout: 'gateway.gateway.networking.k8s.io/bookinfo-gateway condition met\n' });
    const get = await kubectl(['get', 'gateway', '-n', NS]);
    expect(get.stdout).toMatch(new RegExp(`^NAME\\s+CLASS\\s+ADDRESS\\s+PROGRAMMED\\s+AGE\\nbookinfo-gateway\\s+istio\\s+${addr.replace(/\./g, '\\.')}\\s+True\\s+`));
    const gw = await client.request<Obj>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/gateways/bookinfo-gateway`);
    const times = Object.fromEntries((gw.status?.conditions ?? []).map((c) => [c.type, c.lastTransitionTime]));
    expect(times).toEqual({ Accepted: '2026-01-01T00:00:00Z', Programmed: '2026-01-01T00:01:00Z' });
  });

  it("keeps other controllers' route parents and skips objects that are gone", async () => {
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'bookinfo', namespace: NS }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules: [{ backendRefs: [{ name: 'productpage', port: 9080 }] }] } };
    expect((await kubectl(['apply', '-f', '-'], JSON.stringify(route))).code).toBe(0);
    const parent = (controllerName: string): Record<string, unknown> => ({ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'bookinfo-gateway' }, controllerName, conditions: [cond('Accepted', 'True', 'Accepted')] });
    const status = (controller: string): GatewayApiStatus => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: NS, name: 'bookinfo', observedGeneration: 1, status: { parents: [parent(controller)] } });
    await new GatewayApiStatusWriter({ client, controllerName: 'example.com/other' }).write([status('example.com/other')]);
    expect(await writer.write([status('istio.io/gateway-controller'), { ...status('x'), name: 'missing' }])).toEqual({ written: 1, unchanged: 0, failed: 1 });
    const got = await client.request<Obj>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/bookinfo`);
    expect(got.status?.parents?.map((p) => p.controllerName)).toEqual(['example.com/other', 'istio.io/gateway-controller']);
  });

  it('keeps a deployment whose Gateway it does not see (not in its store yet, or another control plane)', async () => {
    // a control plane started before the Gateway API CRDs were installed sees the Service but not the Gateway
    expect(await new GatewayDeployer({ client, services, workload: { proxyImage: 'x', xdsAddress: 'x:15010' } }).reconcile([], [])).toBe(0);
    const left = await kubectl(['get', 'deploy,svc,sa', '-n', NS, '-l', 'gateway.networking.k8s.io/gateway-name=bookinfo-gateway', '-o', 'name']);
    expect(left.stdout.split('\n').filter(Boolean).sort()).toEqual(['deployment.apps/bookinfo-gateway-istio', 'service/bookinfo-gateway-istio', 'serviceaccount/bookinfo-gateway-istio']);
  });

  it('removes a deployment no longer wanted (the Gateway got spec.addresses or another class)', async () => {
    await deployer.reconcile([], gateways);
    await eventually('the Service gone from the informer', () => (services.addresses().has(`${NS}/bookinfo-gateway`) ? undefined : true));
    const left = await kubectl(['get', 'deploy,svc,sa', '-n', NS, '-l', 'gateway.networking.k8s.io/gateway-name=bookinfo-gateway', '-o', 'name']);
    expect(left.stdout).toBe('');
  });

  it('feeds the config store the Gateway API kinds once served, and creates GatewayClass istio', async () => {
    const store = await KubeConfigStore.start({ client });
    const registry = await KubeRegistry.start({ client });
    await Promise.all([store.ready(), registry.ready()]);
    const controller = await new GatewayApiController({ client, store, registry, workload: { proxyImage: 'trellis/proxy:dev', xdsAddress: 'x:15010' }, debounceMs: 10 }).start();
    try {
      expect(Object.keys(store.informerStats()).filter((p) => p.includes('gateway.networking.k8s.io')).sort()).toEqual(
        ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'].map((r) => expect.stringContaining(`/${r}`)),
      );
      expect(GATEWAY_API_KINDS).toHaveLength(4);
      await eventually('GatewayClass istio', async () => (await kubectl(['get', 'gatewayclass', 'istio', '-o', 'jsonpath={.spec.controllerName}'])).stdout || undefined);
      const gw = await eventually('the Gateway in the store', () => store.list('KubernetesGateway', NS)[0]);
      expect(gw).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway' } });
      await eventually('GatewayClass in the store', () => store.get('GatewayClass', 'default', 'istio') ?? store.list('GatewayClass')[0]);
      await controller.idle();
    } finally {
      await controller.stop();
      await Promise.all([store.stop(), registry.stop()]);
    }
  });
});

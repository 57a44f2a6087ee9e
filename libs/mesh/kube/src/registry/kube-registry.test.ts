import { SnapshotBuilder, type RegistryChange } from '@trellis/mesh-config';
import { KubeConfigStore } from '../config/kube-config-store';
import type { KubeObject } from '../client/types';
import { adminClient, createNamespace, ensureCrds, eventually } from '../testing/kube-test-env';
import { KubeRegistry } from './kube-registry';

const NS = 'kube-registry';
const client = adminClient();
const api = `/api/v1/namespaces/${NS}`;
let registry: KubeRegistry;
const changes: RegistryChange[] = [];

function pod(name: string, version: string, extra: { annotations?: Record<string, string>; proxy?: boolean }): object {
  const containers = [{ name: 'reviews', image: 'reviews:dev', ports: [{ name: 'web', containerPort: 9081 }] }];
  if (extra.proxy === true) containers.push({ name: 'istio-proxy', image: 'proxy:dev', ports: [] });
  return {
    metadata: { name, labels: { app: 'reviews', version }, ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }) },
    spec: { serviceAccountName: 'bookinfo-reviews', containers },
  };
}

/** No scheduler or kubelet here: give the pod an IP and a Ready condition through the status subresource. */
async function setStatus(name: string, ip: string, ready: boolean): Promise<void> {
  const current = await client.request<KubeObject>('GET', `${api}/pods/${name}`);
  const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  await client.request('PUT', `${api}/pods/${name}/status`, { body: { ...current, status } });
}

const slice = {
  apiVersion: 'discovery.k8s.io/v1beta1',
  kind: 'EndpointSlice',
  metadata: { name: 'reviews-abc', labels: { 'kubernetes.io/service-name': 'reviews' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 9081, protocol: 'TCP' }],
  endpoints: [
    { addresses: ['10.244.1.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'reviews-v1', namespace: NS } },
    { addresses: ['10.244.1.6'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'reviews-v2', namespace: NS } },
  ],
};

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS, { 'istio-injection': 'enabled' }), ensureCrds(client)]);
  await client.request('POST', `${api}/serviceaccounts`, { body: { metadata: { name: 'bookinfo-reviews' } } });
  await eventually('SA token', async () => ((await client.request<{ secrets?: unknown[] }>('GET', `${api}/serviceaccounts/bookinfo-reviews`)).secrets?.[0]));
  await client.request('POST', `${api}/services`, {
    body: {
      metadata: { name: 'reviews', labels: { app: 'reviews' } },
      spec: {
        selector: { app: 'reviews' },
        ports: [
          { name: 'http', port: 9080, targetPort: 'web' },
          { name: 'tcp-rpc', port: 9443, targetPort: 9443, appProtocol: 'grpc' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
    },
  });
  await client.request('POST', `${api}/pods`, { body: pod('reviews-v1', 'v1', { proxy: true }) });
  await client.request('POST', `${api}/pods`, { body: pod('reviews-v2', 'v2', { annotations: { 'sidecar.istio.io/status': '{}' } }) });
  await setStatus('reviews-v1', '10.244.1.5', true);
  await setStatus('reviews-v2', '10.244.1.6', true);
  await client.request('POST', `/apis/discovery.k8s.io/v1beta1/namespaces/${NS}/endpointslices`, { body: slice });
  registry = await KubeRegistry.start({ client });
  registry.onChange((c) => changes.push(c));
  await registry.ready();
});
afterAll(async () => {
  await registry.stop();
  client.close();
});

describe('KubeRegistry (real kube-apiserver 1.20)', () => {
  it('falls back to discovery.k8s.io/v1beta1 EndpointSlices', () => {
    expect(registry.endpointSliceVersion).toBe('discovery.k8s.io/v1beta1');
  });

  it('builds MeshServices from Services (named targetPort resolved from pod ports, protocol from name/appProtocol)', () => {
    const svc = registry.services().find((s) => s.namespace === NS && s.name === 'reviews');
    expect(svc).toEqual({
      name: 'reviews',
      namespace: NS,
      hostname: `reviews.${NS}.svc.cluster.local`,
      ports: [
        { name: 'http', port: 9080, targetPort: 9081, protocol: 'HTTP' },
        { name: 'tcp-rpc', port: 9443, targetPort: 9443, protocol: 'GRPC' },
      ],
      selector: { app: 'reviews' },
      address: expect.stringMatching(/^10\.96\./),
      labels: { app: 'reviews' },
    });
  });

  it('builds WorkloadInstances from Pods, with readiness from the EndpointSlice', () => {
    const wl = registry.workloads().filter((w) => w.namespace === NS);
    expect(wl).toEqual([
      { name: 'reviews-v1', namespace: NS, address: '10.244.1.5', labels: { app: 'reviews', version: 'v1' }, serviceAccount: 'bookinfo-reviews', sidecar: true, ready: true },
      // the pod says Ready, the slice says not ready: the slice wins
      { name: 'reviews-v2', namespace: NS, address: '10.244.1.6', labels: { app: 'reviews', version: 'v2' }, serviceAccount: 'bookinfo-reviews', sidecar: true, ready: false },
    ]);
  });

  it('exposes namespace labels and is read-only', () => {
    expect(registry.namespaceLabels(NS)).toEqual({ 'istio-injection': 'enabled', 'kubernetes.io/metadata.name': NS });
    expect(registry.namespaceLabels('nope')).toBeUndefined();
    expect(() => registry.removeService(NS, 'reviews')).toThrow(expect.objectContaining({ code: 'REGISTRY_READ_ONLY' }));
  });

  it('feeds a SnapshotBuilder together with KubeConfigStore', async () => {
    const store = await KubeConfigStore.start({ client });
    await store.ready();
    const builder = new SnapshotBuilder({ store, registry });
    await store.applyAll([
      { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: NS }, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } },
    ]);
    const snap = builder.current();
    expect(snap.revision).toBeGreaterThan(1);
    expect(snap.virtualServices.map((v) => `${v.metadata.namespace}/${v.metadata.name}`)).toContain(`${NS}/reviews`);
    expect(snap.services.map((s) => s.hostname)).toContain(`reviews.${NS}.svc.cluster.local`);
    expect(snap.workloads.filter((w) => w.namespace === NS)).toHaveLength(2);

    changes.length = 0;
    const before = builder.current().revision;
    await client.request('DELETE', `${api}/pods/reviews-v2`, { query: { gracePeriodSeconds: 0 } });
    await eventually('workload removed', () => (changes.some((c) => c.type === 'workload' && c.action === 'removed') ? true : undefined));
    expect(changes).toContainEqual({ type: 'workload', action: 'removed', namespace: NS, name: 'reviews-v2' });
    expect(builder.current().revision).toBeGreaterThan(before);
    expect(builder.current().workloads.filter((w) => w.namespace === NS).map((w) => w.name)).toEqual(['reviews-v1']);
    builder.close();
    await store.stop();
  });
});

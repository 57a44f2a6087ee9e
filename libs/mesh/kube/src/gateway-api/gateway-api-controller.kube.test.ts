import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../client/types';
import { KubeConfigStore } from '../config/kube-config-store';
import { KubeRegistry } from '../registry/kube-registry';
import { adminClient, createNamespace, ensureCrds, eventually, kubectl, kubeTestEnv } from '../testing/kube-test-env';
import { GatewayApiController } from './gateway-api-controller';
import { installGatewayApiCrds } from './install-gateway-api-crds';
import { loadGatewayApiManifests } from './load-gateway-api-manifests';

// istiod's Gateway API controller end to end on a real API server: Istio's bookinfo-gateway.yaml applied with
// kubectl, converted, deployed, and its status written back (no kubelet here: the pods never run).
const ROOT = path.join(__dirname, '../../../../..');
const NS = 'gwapi-controller';
const client = adminClient();
let store: KubeConfigStore;
let registry: KubeRegistry;
let controller: GatewayApiController;

interface Conditions extends KubeObject {
  status?: { parents?: { conditions?: { type: string; status: string; reason: string }[] }[] };
}

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS), ensureCrds(client)]);
  await installGatewayApiCrds(client, await loadGatewayApiManifests(path.join(ROOT, 'deploy/gateway-api')));
  const productpage = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'productpage', namespace: NS }, spec: { selector: { app: 'productpage' }, ports: [{ name: 'http', port: 9080 }] } };
  expect((await kubectl(['apply', '-f', '-'], JSON.stringify(productpage))).code).toBe(0);
  store = await KubeConfigStore.start({ client });
  registry = await KubeRegistry.start({ client });
  await Promise.all([store.ready(), registry.ready()]);
  controller = await new GatewayApiController({ client, store, registry, workload: { proxyImage: 'trellis/proxy:dev', xdsAddress: 'istiod.istio-system.svc:15010' }, debounceMs: 20 }).start();
}, 60_000);
afterAll(async () => {
  await controller?.stop();
  await Promise.all([store?.stop(), registry?.stop()]);
  client.close();
});

describe('Gateway API controller (real API server, real conversion)', () => {
  it('deploys bookinfo-gateway-istio for samples/bookinfo/gateway-api/bookinfo-gateway.yaml and reports it Programmed', async () => {
    const yaml = readFileSync(path.join(ROOT, 'samples/bookinfo/gateway-api/bookinfo-gateway.yaml'), 'utf8');
    const applied = await kubectl(['apply', '-n', NS, '-f', '-'], yaml);
    expect(applied).toMatchObject({ code: 0, stdout: 'gateway.gateway.networking.k8s.io/bookinfo-gateway created\nhttproute.gateway.networking.k8s.io/bookinfo created\n' });
    expect((await kubectl(['annotate', '-n', NS, 'gateway', 'bookinfo-gateway', 'networking.istio.io/service-type=ClusterIP'])).code).toBe(0);
    const svc = await eventually('Service bookinfo-gateway-istio (ClusterIP)', async () => {
      const got = await kubectl(['get', 'svc', '-n', NS, 'bookinfo-gateway-istio', '-o', 'jsonpath={.spec.type} {.spec.ports[*].port}']);
      return got.stdout.startsWith('ClusterIP') ? got.stdout : undefined;
    }, 20_000);
    expect(svc).toBe('ClusterIP 15021 80');
    const wait = await kubectl(['wait', '-n', NS, '--for=condition=programmed', 'gtw/bookinfo-gateway', '--timeout=15s']);
    expect(wait).toMatchObject({ code: 0, stdout: 'gateway.gateway.networking.k8s.io/bookinfo-gateway condition met\n' });
    const table = await kubectl(['get', 'gateway', '-n', NS]);
    expect(table.stdout).toMatch(new RegExp(`\\nbookinfo-gateway\\s+istio\\s+bookinfo-gateway-istio\\.${NS}\\.svc\\.cluster\\.local\\s+True\\s+`));
    const route = await eventually('HTTPRoute bookinfo status', async () => {
      const r = await client.request<Conditions>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/bookinfo`);
      return (r.status?.parents?.[0]?.conditions?.length ?? 0) > 0 ? r : undefined;
    });
    expect(route.status?.parents?.[0]?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(expect.arrayContaining(['Accepted=True', 'ResolvedRefs=True']));
    expect((await kubectl(['get', 'gatewayclass', 'istio', '-o', 'jsonpath={.status.conditions[?(@.type=="Accepted")].status}'])).stdout).toBe('True');
    // trellis get gtw against the cluster prints the same columns as kubectl (the built CLI)
    const cli = await new Promise<string>((resolve) =>
      execFile(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), '--kubeconfig', kubeTestEnv().kubeconfig, 'get', 'gtw', '-n', NS], { env: { PATH: process.env['PATH'] ?? '', TRELLIS_TARGET: 'kube' }, timeout: 30_000 }, (_err, stdout, stderr) => resolve(stdout + stderr)),
    );
    expect(cli).toMatch(new RegExp(`^NAME\\s+CLASS\\s+ADDRESS\\s+PROGRAMMED\\s+AGE\\nbookinfo-gateway\\s+istio\\s+bookinfo-gateway-istio\\.${NS}\\.svc\\.cluster\\.local\\s+True\\s+`));
  });

  it('an HTTPRoute to a missing Service says why in its status (BackendNotFound), the rest keeps serving', async () => {
    const bad = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'broken', namespace: NS }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules: [{ backendRefs: [{ name: 'nope', port: 9080 }] }] } };
    expect((await kubectl(['apply', '-f', '-'], JSON.stringify(bad))).code).toBe(0);
    const reason = await eventually('ResolvedRefs=False', async () => {
      const r = await client.request<Conditions>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/broken`);
      const c = r.status?.parents?.[0]?.conditions?.find((x) => x.type === 'ResolvedRefs');
      return c?.status === 'False' ? c.reason : undefined;
    });
    expect(reason).toBe('BackendNotFound');
    expect((await kubectl(['get', 'gtw', '-n', NS, 'bookinfo-gateway', '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}'])).stdout).toBe('True');
  });

  it('enforces ReferenceGrant: a backend in another namespace is RefNotPermitted until the grant exists', async () => {
    const other = `${NS}-backends`;
    await createNamespace(client, other);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings', namespace: other }, spec: { selector: { app: 'ratings' }, ports: [{ name: 'http', port: 9080 }] } };
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'cross', namespace: NS }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules: [{ backendRefs: [{ name: 'ratings', namespace: other, port: 9080 }] }] } };
    const applied = await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [svc, route] }));
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    const resolved = (want: string) => async (): Promise<string | undefined> => {
      const r = await client.request<Conditions>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/cross`);
      const c = r.status?.parents?.[0]?.conditions?.find((x) => x.type === 'ResolvedRefs');
      return c?.status === want ? c.reason : undefined;
    };
    expect(await eventually('RefNotPermitted', resolved('False'))).toBe('RefNotPermitted');
    const grant = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-routes', namespace: other }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }], to: [{ group: '', kind: 'Service' }] } };
    expect((await kubectl(['apply', '-f', '-'], JSON.stringify(grant))).code).toBe(0);
    expect(await eventually('ResolvedRefs after the grant', resolved('True'))).toBe('ResolvedRefs');
  });
});

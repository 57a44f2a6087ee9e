import path from 'node:path';
import { adminClient, createNamespace, kubectl } from '../testing/kube-test-env';
import { countCelRules } from './crd-degrade';
import { installGatewayApiCrds, type GatewayApiCrdsInstall } from './install-gateway-api-crds';
import { loadGatewayApiManifests } from './load-gateway-api-manifests';

const DIR = path.join(__dirname, '../../../../../deploy/gateway-api');
const NS = 'gwapi-crds';
const client = adminClient();
let first: GatewayApiCrdsInstall;

const gateway = (apiVersion: string, name: string): string =>
  JSON.stringify({
    apiVersion,
    kind: 'Gateway',
    metadata: { name, namespace: NS },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
  });

beforeAll(async () => {
  await createNamespace(client, NS);
  first = await installGatewayApiCrds(client, await loadGatewayApiManifests(DIR));
}, 60_000);
afterAll(() => client.close());

describe('Gateway API CRDs on Kubernetes 1.20 (no CEL)', () => {
  // The API server is shared by every suite of this jest run, and two other suites install the same
  // CRDs: whichever runs first installs them. Either way the cluster must end up with the stripped
  // standard channel; the installing run's report is checked when it was this suite's.
  it('installs the vendored standard channel with the CEL rules stripped and the admission policy skipped', async () => {
    const manifests = await loadGatewayApiManifests(DIR);
    const names = manifests.filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name ?? '');
    expect(names).toHaveLength(10);
    expect(names).toEqual(expect.arrayContaining(['gatewayclasses.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io']));
    for (const name of names) {
      const crd = await client.request<Record<string, unknown>>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      expect((crd['metadata'] as { annotations?: Record<string, string> }).annotations?.['gateway.networking.k8s.io/bundle-version']).toBe('v1.6.1');
      expect(JSON.stringify(crd)).not.toContain('x-kubernetes-validations');
    }
    if (first.action === 'installed') {
      expect(first.bundleVersion).toBe('v1.6.1');
      expect(first.crds.sort()).toEqual(names.sort());
      expect(first.celRulesStripped).toBe(countCelRules(manifests));
      expect(first.celRulesStripped).toBeGreaterThan(100);
      expect(first.skipped).toEqual(['ValidatingAdmissionPolicy/safe-upgrades.gateway.networking.k8s.io', 'ValidatingAdmissionPolicyBinding/safe-upgrades.gateway.networking.k8s.io']);
    } else {
      expect(first).toEqual({ action: 'present', bundleVersion: 'v1.6.1', crds: [], celRulesStripped: 0, skipped: [] });
    }
  });

  it('leaves installed CRDs alone the second time', async () => {
    const again = await installGatewayApiCrds(client, await loadGatewayApiManifests(DIR));
    expect(again).toEqual({ action: 'present', bundleVersion: 'v1.6.1', crds: [], celRulesStripped: 0, skipped: [] });
  });

  it('serves v1 and v1beta1 Gateways with kubectl short names and printer columns', async () => {
    expect(await kubectl(['apply', '-f', '-'], gateway('gateway.networking.k8s.io/v1', 'gw1'))).toMatchObject({ code: 0, stdout: 'gateway.gateway.networking.k8s.io/gw1 created\n' });
    expect((await kubectl(['apply', '-f', '-'], gateway('gateway.networking.k8s.io/v1beta1', 'gw2'))).code).toBe(0);
    const got = await kubectl(['get', 'gtw', '-n', NS]);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\n/);
    expect(got.stdout).toMatch(/gw1\s+istio\s+/);
  });

  it('takes zero values as upstream allows them (group: "", attachedRoutes: 0, message: "")', async () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'gamma', namespace: NS },
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules: [{ backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v1', port: 9080, weight: 0 }] }] },
    };
    expect(await kubectl(['apply', '-f', '-'], JSON.stringify(route))).toMatchObject({ code: 0, stderr: '' });
    const path = `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/gateways/gw1`;
    const current = await client.request<Record<string, unknown>>('GET', path);
    const cond = { type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' };
    const status = { conditions: [cond], listeners: [{ name: 'http', attachedRoutes: 0, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], conditions: [cond] }] };
    await client.request('PUT', `${path}/status`, { body: { ...current, status } });
  });

  it('still validates with the OpenAPI schema: a bad protocol and a port out of range are rejected, naming the field', async () => {
    const bad = JSON.parse(gateway('gateway.networking.k8s.io/v1', 'bad')) as { spec: { listeners: Record<string, unknown>[] } };
    bad.spec.listeners[0] = { name: 'http', port: 70000, protocol: 'HTTP' };
    const res = await kubectl(['apply', '--validate=false', '-f', '-'], JSON.stringify(bad));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/spec\.listeners\[?0?\]?\.port/);
  });
});

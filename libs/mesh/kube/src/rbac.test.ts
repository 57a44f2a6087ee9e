import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubeStatusOf } from './client/errors';
import { KubeClient } from './client/kube-client';
import type { KubeList, KubeObject } from './client/types';
import { KubeConfigStore } from './config/kube-config-store';
import { LeaderElection } from './leader/leader-election';
import type { Lease } from './leader/lease';
import { KubeRegistry } from './registry/kube-registry';
import { adminClient, createNamespace, ensureCrds, eventually, kubeTestEnv, kubectl } from './testing/kube-test-env';

const NS = 'kube-rbac';
const RBAC = path.join(__dirname, '../../../../deploy/control-plane/rbac.yaml');
const admin = adminClient();

/** Kubernetes 1.20: the controller-manager puts a token Secret next to every ServiceAccount. */
async function serviceAccountToken(namespace: string, name: string): Promise<string> {
  const secret = await eventually('SA token secret', async () => {
    const sa = await admin.request<{ secrets?: { name: string }[] }>('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`);
    const ref = sa.secrets?.[0];
    return ref === undefined ? undefined : admin.request<{ data?: { token?: string } }>('GET', `/api/v1/namespaces/${namespace}/secrets/${ref.name}`);
  });
  return Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8');
}

const statusOf = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => 200, (err: unknown) => kubeStatusOf(err));

describe('deploy/control-plane/rbac.yaml (least privilege, RBAC-enabled server)', () => {
  let sa: KubeClient;
  let store: KubeConfigStore;
  let registry: KubeRegistry;

  beforeAll(async () => {
    await Promise.all([createNamespace(admin, NS), ensureCrds(admin)]);
    const applied = await kubectl(['apply', '-f', RBAC]);
    // istio-system may already exist (created by `trellis install`'s server-side apply in another
    // suite): kubectl then warns about the missing last-applied annotation, which is not an error.
    expect({ code: applied.code, stderr: applied.stderr.replace(/^Warning: .*\n?/gm, '') }).toEqual({ code: 0, stderr: '' });
    const env = kubeTestEnv();
    sa = KubeClient.load({ type: 'token', server: env.server, token: await serviceAccountToken('istio-system', 'istiod'), caFile: env.caFile });
    [store, registry] = await Promise.all([KubeConfigStore.start({ client: sa }), KubeRegistry.start({ client: sa })]);
    await Promise.all([store.ready(), registry.ready()]);
  });
  afterAll(async () => {
    await Promise.all([store?.stop(), registry?.stop()]);
    sa?.close();
    admin.close();
  });

  it('runs the config store and the registry with the istiod ServiceAccount token', async () => {
    await admin.request('POST', `/apis/networking.istio.io/v1beta1/namespaces/${NS}/destinationrules`, {
      body: { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: { name: 'dup' }, spec: { host: 'r', subsets: [{ name: 'a' }, { name: 'a' }] } },
    });
    await admin.request('POST', `/api/v1/namespaces/${NS}/services`, { body: { metadata: { name: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80 }] } } });
    await eventually('service', () => registry.services().find((s) => s.namespace === NS && s.name === 'svc'));
    // the Event is written with the ServiceAccount's token
    await eventually('ValidationFailed event', async () => {
      const events = await admin.request<KubeList<KubeObject & { reason?: string }>>('GET', `/api/v1/namespaces/${NS}/events`);
      return events.items.find((e) => e.reason === 'ValidationFailed');
    });
    // and applyAll writes through the API (trellis-istiod-config-writer)
    const result = await store.applyAll([{ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: NS }, spec: { selector: { istio: 'ingressgateway' }, servers: [] } }]);
    expect(result[0]?.action).toBe('created');
    expect((await store.deleteAll([{ kind: 'Gateway', namespace: NS, name: 'gw' }]))[0]?.action).toBe('deleted');
    const failed = [...Object.values(store.informerStats()), ...Object.values(registry.informerStats())].filter((s) => s.errors > 0);
    expect(failed).toEqual([]);
  });

  it('denies everything else', async () => {
    expect(await statusOf(sa.request('DELETE', `/api/v1/namespaces/${NS}`))).toBe(403);
    expect(await statusOf(sa.request('DELETE', `/api/v1/namespaces/${NS}/secrets/any`))).toBe(403);
    expect(await statusOf(sa.request('POST', `/api/v1/namespaces/${NS}/secrets`, { body: { metadata: { name: 's' } } }))).toBe(403);
    expect(await statusOf(sa.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } } }))).toBe(403);
    expect(await statusOf(sa.request('GET', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/someone-else'))).toBe(403);
    expect(await statusOf(sa.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualservices.networking.istio.io'))).toBe(403);
  });

  it('lets istiod manage only its own MutatingWebhookConfiguration (SelfSubjectAccessReview)', async () => {
    const can = async (verb: string, name?: string): Promise<boolean> => {
      const review = await sa.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', verb, name } } },
      });
      return review.status?.allowed === true;
    };
    expect(await can('create')).toBe(true);
    expect(await can('get', 'trellis-sidecar-injector')).toBe(true);
    expect(await can('update', 'trellis-sidecar-injector')).toBe(true);
    expect(await can('update', 'someone-else')).toBe(false);
    expect(await can('delete', 'trellis-sidecar-injector')).toBe(false);
  });

  it("gives the CA what it uses: TokenReviews, Secrets written in istio-system only, ConfigMaps everywhere", async () => {
    const can = async (resourceAttributes: Record<string, string>): Promise<boolean> => {
      const review = await sa.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } },
      });
      return review.status?.allowed === true;
    };
    expect(await can({ group: 'authentication.k8s.io', resource: 'tokenreviews', verb: 'create' })).toBe(true);
    expect(await can({ resource: 'secrets', verb: 'get', namespace: 'istio-system', name: 'istio-ca-secret' })).toBe(true);
    expect(await can({ resource: 'secrets', verb: 'create', namespace: 'istio-system' })).toBe(true);
    // Gateway credentials: read everywhere (istiod's grant), written nowhere else.
    expect(await can({ resource: 'secrets', verb: 'list', namespace: 'istio-system' })).toBe(true);
    expect(await can({ resource: 'secrets', verb: 'watch', namespace: NS })).toBe(true);
    expect(await can({ resource: 'secrets', verb: 'create', namespace: NS })).toBe(false);
    expect(await can({ resource: 'secrets', verb: 'update', namespace: 'istio-system', name: 'istio-ca-secret' })).toBe(false);
    expect(await can({ resource: 'secrets', verb: 'delete', namespace: NS })).toBe(false);
    expect(await can({ resource: 'configmaps', verb: 'update', namespace: NS, name: 'istio-ca-root-cert' })).toBe(true);
    expect(await can({ resource: 'configmaps', verb: 'delete', namespace: NS, name: 'istio-ca-root-cert' })).toBe(false);
  });

  it('elects a leader on a Lease in istio-system, and may write no Lease elsewhere', async () => {
    const leases = (ns: string): string => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;
    // leading alone is the fallback without the grant, so the Lease itself must show the election happened
    const election = await new LeaderElection({ client: sa, namespace: 'istio-system', name: 'trellis-rbac-test', identity: 'istiod-rbac', retryPeriodMs: 100 }, async () => async () => undefined).start();
    expect(election.leading).toBe(true);
    expect((await admin.request<Lease>('GET', `${leases('istio-system')}/trellis-rbac-test`)).spec.holderIdentity).toBe('istiod-rbac');
    await election.stop();
    expect((await admin.request<Lease>('GET', `${leases('istio-system')}/trellis-rbac-test`)).spec.holderIdentity).toBe('');
    expect(await statusOf(sa.request('POST', leases(NS), { body: { metadata: { name: 'x' }, spec: {} } }))).toBe(403);
    expect(await statusOf(sa.request('DELETE', `${leases('istio-system')}/trellis-rbac-test`))).toBe(403);
  });

  it('grants exactly the documented rules', () => {
    const text = readFileSync(RBAC, 'utf8');
    expect(text).not.toMatch(/"\*"/);
    // Secrets: written only through the CA's Role in istio-system (get/create); read cluster-wide for gateway credentials.
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; rules?: Array<{ resources: string[]; verbs: string[] }> });
    const withSecrets = docs.filter((d) => (d.rules ?? []).some((r) => r.resources.includes('secrets')));
    expect(withSecrets.map((d) => [d.kind, d.metadata.namespace, d.metadata.name])).toEqual([
      ['Role', 'istio-system', 'trellis-istiod-ca'],
      ['ClusterRole', undefined, 'trellis-istiod-gateway-credentials'],
    ]);
    expect(withSecrets.map((d) => d.rules?.find((r) => r.resources.includes('secrets'))?.verbs)).toEqual([['get', 'create'], ['get', 'list', 'watch']]);
  });
});

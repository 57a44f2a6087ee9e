// The CA's Kubernetes adapters against the real kube-apiserver 1.20 (tools/kube-env).
import { openCertificateAuthority, type Authenticator } from '@trellis/mesh-ca';
import { silentLogger } from '@trellis/shared';
import { deleteIfExists } from '../client/writes';
import type { KubeObject } from '../client/types';
import { adminClient, createNamespace, eventually } from '../testing/kube-test-env';
import { kubeCaSecretStore } from './ca-secret-store';
import { publishRootCert } from './root-cert-publisher';
import { kubeJwtAuthenticator } from './token-review';

const client = adminClient();
const CA_NS = 'ca-system';
const APP_NS = 'ca-app';
const open = () => openCertificateAuthority({ store: kubeCaSecretStore(client, CA_NS), trustDomain: 'cluster.local', clock: () => Date.now(), logger: silentLogger() });

beforeAll(async () => {
  await Promise.all([createNamespace(client, CA_NS), createNamespace(client, APP_NS)]);
});
afterAll(() => client.close());

describe('istio-ca-secret', () => {
  it('is created on first start with Istio keys and type, then reused', async () => {
    const first = await open();
    const secret = await client.request<KubeObject & { type?: string; data?: Record<string, string> }>('GET', `/api/v1/namespaces/${CA_NS}/secrets/istio-ca-secret`);
    expect(secret.type).toBe('istio.io/ca-root');
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'key.pem', 'root-cert.pem']);
    expect(Buffer.from(secret.data?.['ca-cert.pem'] ?? '', 'base64').toString()).toBe(first.rootPem);
    expect((await open()).rootPem).toBe(first.rootPem);
  });
});

describe('TokenReview authentication', () => {
  let auth: Authenticator;
  beforeAll(() => {
    auth = kubeJwtAuthenticator(client, { trustDomain: 'cluster.local' });
  });
  const request = (token: string) => ({ authorization: `Bearer ${token}`, peer: 'test' });
  const boundToken = async (audiences: string[]): Promise<string> =>
    (await client.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${APP_NS}/serviceaccounts/default/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences } } })).status.token;

  it('accepts a bound token with audience istio-ca', async () => {
    expect((await auth.authenticate(request(await boundToken(['istio-ca'])))).identities).toEqual([`spiffe://cluster.local/ns/${APP_NS}/sa/default`]);
  });

  it('accepts a legacy Secret token (no aud claim: reviewed without audiences, as on 1.20 without projection)', async () => {
    const secret = await eventually('SA token secret', async () => {
      const sa = await client.request<{ secrets?: { name: string }[] }>('GET', `/api/v1/namespaces/${APP_NS}/serviceaccounts/default`);
      const ref = sa.secrets?.[0];
      return ref === undefined ? undefined : client.request<{ data?: { token?: string } }>('GET', `/api/v1/namespaces/${APP_NS}/secrets/${ref.name}`);
    });
    const token = Buffer.from(secret.data?.token ?? '', 'base64').toString();
    expect((await auth.authenticate(request(token))).identities).toEqual([`spiffe://cluster.local/ns/${APP_NS}/sa/default`]);
  });

  it('refuses a token for another audience and garbage', async () => {
    await expect(auth.authenticate(request(await boundToken(['some-api'])))).rejects.toThrow(/did not authenticate|audiences/);
    await expect(auth.authenticate(request('not.a.jwt'))).rejects.toThrow(/did not authenticate/);
  });
});

describe('istio-ca-root-cert ConfigMaps', () => {
  it('are written in every namespace, re-created when deleted, and added to new namespaces', async () => {
    const root = (await open()).rootPem;
    const publisher = publishRootCert(client, root, silentLogger());
    const configMap = (ns: string) => () =>
      client
        .request<KubeObject & { data?: Record<string, string> }>('GET', `/api/v1/namespaces/${ns}/configmaps/istio-ca-root-cert`)
        .then((cm) => (cm.data?.['root-cert.pem'] === root ? cm : undefined));
    try {
      await publisher.ready();
      for (const ns of [APP_NS, CA_NS, 'default']) await eventually(`ConfigMap in ${ns}`, configMap(ns));
      await deleteIfExists(client, `/api/v1/namespaces/${APP_NS}/configmaps/istio-ca-root-cert`);
      await eventually('ConfigMap re-created', configMap(APP_NS));
      await createNamespace(client, 'ca-late');
      await eventually('ConfigMap in a new namespace', configMap('ca-late'));
    } finally {
      await publisher.stop();
    }
  });
});

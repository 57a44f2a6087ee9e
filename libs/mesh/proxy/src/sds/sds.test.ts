// The proxy's secret store contract and its admin views (/config_dump's SecretsConfigDump, /certs).
import { X509Certificate } from 'node:crypto';
import { CertificateAuthority, createCsr, EC_P256, generateKeyPair, generateSelfSignedRoot, loadKeyCertBundle } from '@trellis/mesh-ca';
import { silentLogger } from '@trellis/shared';
import { createProxy } from '../proxy';
import { certificatesDump, REDACTED, ROOT_CA_SECRET, SecretStore, secretsConfigDump, WORKLOAD_CERT_SECRET } from './index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of dumped JSON
type Json = Record<string, any>;

const ID = 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage';
const NOW = Date.UTC(2030, 0, 2, 3, 4, 5);
const root = generateSelfSignedRoot({ trustDomain: 'cluster.local', now: NOW - 3600_000 });
const ca = new CertificateAuthority(loadKeyCertBundle(root, 'self-signed', NOW), () => NOW);
const keys = generateKeyPair(EC_P256);
const chain = ca.sign({ csrPem: createCsr(keys.privateKey, { uris: [ID] }), identities: [ID], ttlSeconds: 86400 });

function filled(now = (): number => NOW): SecretStore {
  const store = new SecretStore(now);
  store.set({ type: 'tls_certificate', name: WORKLOAD_CERT_SECRET, certificateChainPem: chain.join(''), privateKeyPem: keys.privateKeyPem });
  store.set({ type: 'validation_context', name: ROOT_CA_SECRET, trustedCaPem: root.caCert });
  return store;
}

describe('SecretStore', () => {
  it('resolves Istio names, versions each write and tells listeners after the secret is in force', () => {
    const store = new SecretStore(() => NOW);
    const seen: string[] = [];
    const off = store.onChange((name) => seen.push(`${name}@${store.get(name)?.versionInfo}`));
    expect(store.get(WORKLOAD_CERT_SECRET)).toBeUndefined();
    store.set({ type: 'validation_context', name: ROOT_CA_SECRET, trustedCaPem: root.caCert });
    store.set({ type: 'tls_certificate', name: WORKLOAD_CERT_SECRET, certificateChainPem: chain.join(''), privateKeyPem: keys.privateKeyPem });
    store.set({ type: 'tls_certificate', name: WORKLOAD_CERT_SECRET, certificateChainPem: chain.join(''), privateKeyPem: keys.privateKeyPem });
    off();
    store.set({ type: 'validation_context', name: ROOT_CA_SECRET, trustedCaPem: root.caCert });
    expect(seen).toEqual(['ROOTCA@1', 'default@2', 'default@3']);
    expect(store.list().map((s) => s.name)).toEqual([ROOT_CA_SECRET, WORKLOAD_CERT_SECRET]);
  });
});

describe('SecretsConfigDump', () => {
  it("is Envoy's shape: chain as inline_bytes, the key redacted, the root as trusted_ca", () => {
    const dump = secretsConfigDump(filled()) as { dynamic_active_secrets: Json[] };
    const text = JSON.stringify(dump);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(Buffer.from(keys.privateKeyPem).toString('base64'));
    const [leaf, rootCa] = dump.dynamic_active_secrets;
    expect(leaf).toEqual({
      name: 'default',
      version_info: '1',
      last_updated: new Date(NOW).toISOString(),
      secret: {
        '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
        name: 'default',
        tls_certificate: { certificate_chain: { inline_bytes: Buffer.from(chain.join('')).toString('base64') }, private_key: { inline_bytes: Buffer.from(REDACTED).toString('base64') } },
      },
    });
    expect(Buffer.from(rootCa?.['secret'].validation_context.trusted_ca.inline_bytes, 'base64').toString()).toBe(root.caCert);
  });

  it('has no dynamic_active_secrets without secrets (no agent)', () => {
    expect(secretsConfigDump(undefined)).toEqual({ '@type': 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump' });
  });
});

describe('/certs', () => {
  it("lists the root as ca_cert and the leaf as cert_chain with Envoy's fields", () => {
    const { certificates } = certificatesDump(filled(), NOW) as { certificates: Array<{ ca_cert: Json[]; cert_chain: Json[] }> };
    const leaf = new X509Certificate(chain[0]!);
    expect(certificates).toHaveLength(1);
    expect(certificates[0]?.cert_chain).toEqual([
      {
        path: '<inline>',
        serial_number: leaf.serialNumber.toLowerCase(),
        subject_alt_names: [{ uri: ID }],
        days_until_expiration: '1',
        valid_from: new Date(NOW - 120_000).toISOString().replace('.000Z', 'Z'),
        expiration_time: new Date(NOW + 86400_000).toISOString().replace('.000Z', 'Z'),
      },
    ]);
    expect(certificates[0]?.ca_cert[0]).toMatchObject({ subject_alt_names: [], days_until_expiration: '3649' });
  });

  it('is empty without secrets', () => {
    expect(certificatesDump(new SecretStore(), NOW)).toEqual({ certificates: [] });
  });
});

describe('admin endpoints', () => {
  it('serve /certs and the SecretsConfigDump from the provider given to createProxy', async () => {
    const proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0, secrets: filled(Date.now) });
    try {
      const admin = await proxy.startAdmin({ host: '127.0.0.1', port: 0 });
      const certs = (await (await fetch(`http://127.0.0.1:${admin.port}/certs`)).json()) as { certificates: Array<{ cert_chain: Array<{ subject_alt_names: unknown }> }> };
      expect(certs.certificates[0]?.cert_chain[0]?.subject_alt_names).toEqual([{ uri: ID }]);
      const dump = (await (await fetch(`http://127.0.0.1:${admin.port}/config_dump`)).json()) as { configs: Array<Record<string, unknown>> };
      const secrets = dump.configs.find((c) => c['@type'] === 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump');
      expect((secrets?.['dynamic_active_secrets'] as unknown[]).length).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});

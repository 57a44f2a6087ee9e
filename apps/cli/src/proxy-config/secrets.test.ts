// `trellis proxy-config secret` against a fake control plane (syncz) and a real proxy admin on a pod address.
import { X509Certificate } from 'node:crypto';
import { CertificateAuthority, createCsr, EC_P256, generateKeyPair, generateSelfSignedRoot, loadKeyCertBundle } from '@trellis/mesh-ca';
import { createProxy, SecretStore, type Proxy } from '@trellis/mesh-proxy';
import { silentLogger } from '@trellis/shared';
import { runCli, startFakeControlPlane, type FakeControlPlane } from '../testing/fake-control-plane';
import { secretRows } from './secrets';

const ID = 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews';
const now = Date.now();
const root = generateSelfSignedRoot({ trustDomain: 'cluster.local', now: now - 3600_000 });
const ca = new CertificateAuthority(loadKeyCertBundle(root, 'self-signed', now), () => now);
const key = generateKeyPair(EC_P256);
const chain = ca.sign({ csrPem: createCsr(key.privateKey, { uris: [ID] }), identities: [ID], ttlSeconds: 86400 });
const ip = `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}.10`;
const rfc3339 = (d: string): string => new Date(d).toISOString().replace('.000Z', 'Z');

let cp: FakeControlPlane;
let proxy: Proxy;
let store: SecretStore;

beforeAll(async () => {
  cp = await startFakeControlPlane();
  store = new SecretStore();
  proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0, secrets: store });
  await proxy.startAdmin({ host: ip, port: 15000 });
  cp.syncz.push({
    id: `sidecar~${ip}~reviews-v1-abc.default~default.svc.cluster.local`,
    proxy: { id: 'x', type: 'sidecar', ipAddress: ip, workloadName: 'reviews-v1-abc', namespace: 'default', labels: {}, interception: 'NONE' },
    connectedAt: new Date().toISOString(),
    types: {},
  });
});
afterAll(async () => {
  await proxy?.close();
  await cp?.close();
});

const cli = (...argv: string[]): ReturnType<typeof runCli> => runCli(['--addr', cp.url, ...argv]);

describe('trellis proxy-config secret', () => {
  it('says so when the proxy holds no secrets (no agent, or none yet)', async () => {
    expect(await cli('proxy-config', 'secret', 'reviews-v1-abc')).toEqual({ code: 0, stdout: 'No active or warming secrets found.\n', stderr: '' });
  });

  it("prints istioctl's table from the proxy's own SecretsConfigDump, and -o json the dump itself", async () => {
    store.set({ type: 'tls_certificate', name: 'default', certificateChainPem: chain.join(''), privateKeyPem: key.privateKeyPem });
    store.set({ type: 'validation_context', name: 'ROOTCA', trustedCaPem: root.caCert });
    const [leaf, rootCert] = [new X509Certificate(chain[0]!), new X509Certificate(root.caCert)];
    const serial = (c: X509Certificate): string => c.serialNumber.toLowerCase().replace(/^0+/, '');
    const res = await cli('pc', 'secret', 'reviews-v1-abc.default');
    const w = (s: string, n: number): string => s.padEnd(n);
    const sw = Math.max(serial(leaf).length, serial(rootCert).length, 'SERIAL NUMBER'.length) + 5;
    expect(res.stdout).toBe(
      [
        `${w('RESOURCE NAME', 18)}${w('TYPE', 15)}${w('STATUS', 11)}${w('VALID CERT', 15)}${w('SERIAL NUMBER', sw)}${w('NOT AFTER', 25)}NOT BEFORE`,
        `${w('default', 18)}${w('Cert Chain', 15)}${w('ACTIVE', 11)}${w('true', 15)}${w(serial(leaf), sw)}${w(rfc3339(leaf.validTo), 25)}${rfc3339(leaf.validFrom)}`,
        `${w('ROOTCA', 18)}${w('CA', 15)}${w('ACTIVE', 11)}${w('true', 15)}${w(serial(rootCert), sw)}${w(rfc3339(rootCert.validTo), 25)}${rfc3339(rootCert.validFrom)}`,
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await cli('pc', 'secret', 'reviews-v1-abc', '-o', 'json')).stdout) as { dynamic_active_secrets: Array<{ name: string; secret: { tls_certificate?: { private_key: { inline_bytes: string } } } }> };
    expect(json.dynamic_active_secrets.map((s) => s.name)).toEqual(['default', 'ROOTCA']);
    expect(Buffer.from(json.dynamic_active_secrets[0]!.secret.tls_certificate!.private_key.inline_bytes, 'base64').toString()).toBe('[redacted]');
  });

  it('fails clearly for a proxy that is not connected', async () => {
    const res = await cli('pc', 'secret', 'ghost-1.default');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/ghost-1\.default is not connected/);
  });
});

describe('secret rows', () => {
  it("follow istioctl: warming first (no certificate: TYPE empty, VALID CERT false), expired leaves invalid, 'uninitialized' versions", () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const rows = secretRows(
      {
        dynamic_active_secrets: [{ name: 'default', version_info: 'uninitialized', secret: { tls_certificate: { certificate_chain: { inline_bytes: b64(chain.join('')) } } } }],
        dynamic_warming_secrets: [{ name: 'configmap://some/thing', version_info: 'uninitialized', secret: {} }],
      },
      now + 2 * 86400_000,
    );
    expect(rows[0]).toEqual(['configmap://some/thing', '', 'WARMING', 'false']);
    expect(rows[1]?.slice(0, 4)).toEqual(['default', 'Cert Chain', 'UNINITIALIZED', 'false']);
  });
});

import { generateSelfSignedRoot } from './self-signed';
import { CertificateAuthority } from './certificate-authority';
import { loadKeyCertBundle } from './key-cert-bundle';
import { fixedClock, forgeCsr, intermediateFrom, T0, testRoot, x509 } from '../testing/fixtures';
import type { CaFiles } from './ca-files';

function failure(files: CaFiles, now = T0): { code?: string; message?: string; context?: Record<string, unknown> } {
  try {
    loadKeyCertBundle(files, 'plugged-in', now);
  } catch (err) {
    return err as { code?: string; message?: string; context?: Record<string, unknown> };
  }
  throw new Error('expected loadKeyCertBundle to fail');
}

describe('plugged-in CA material (cacerts)', () => {
  const root = testRoot();
  const inter = intermediateFrom(root);

  it('loads an intermediate and answers leaf, intermediate, root', () => {
    const bundle = loadKeyCertBundle(inter, 'plugged-in', T0);
    expect(bundle.intermediates).toEqual([x509(inter.caCert).toString()]);
    const chain = new CertificateAuthority(bundle, fixedClock).sign({ csrPem: forgeCsr(), identities: ['spiffe://cluster.local/ns/a/sa/b'], ttlSeconds: 0 });
    expect(chain).toHaveLength(3);
    const [leaf, mid, top] = chain.map(x509);
    expect(leaf!.verify(mid!.publicKey) && mid!.verify(top!.publicKey)).toBe(true);
    expect(chain[2]).toBe(x509(root.caCert).toString());
  });

  it('walks a two-level chain', () => {
    const second = intermediateFrom(inter, 'second');
    expect(loadKeyCertBundle(second, 'plugged-in', T0).intermediates).toHaveLength(2);
  });

  it('names ca-key.pem when the key does not match the certificate', () => {
    const other = intermediateFrom(root);
    expect(failure({ ...inter, caKey: other.caKey })).toMatchObject({ code: 'CA_MATERIAL_INVALID', context: { file: 'ca-key.pem' } });
  });

  it('names ca-cert.pem when it is not a CA certificate', () => {
    const ca = new CertificateAuthority(loadKeyCertBundle(root, 'self-signed', T0), fixedClock);
    const server = ca.issueServerCertificate({ dns: ['x'], ips: [] });
    expect(failure({ caCert: server.chain[0]!, caKey: server.keyPem, rootCert: root.caCert })).toMatchObject({ code: 'CA_MATERIAL_INVALID', message: expect.stringMatching(/not a CA/), context: { file: 'ca-cert.pem' } });
  });

  it('names the chain when it does not end at root-cert.pem', () => {
    const strangerRoot = generateSelfSignedRoot({ trustDomain: 'other', now: T0 - 1000 });
    expect(failure({ ...inter, rootCert: strangerRoot.caCert, certChain: inter.caCert })).toMatchObject({ code: 'CA_MATERIAL_INVALID', context: { file: 'cert-chain.pem' } });
    expect(failure({ caCert: inter.caCert, caKey: inter.caKey, rootCert: strangerRoot.caCert })).toMatchObject({ context: { file: 'root-cert.pem' } });
  });

  it('names files that do not parse, and expired CA certificates', () => {
    expect(failure({ ...inter, caCert: 'junk' })).toMatchObject({ context: { file: 'ca-cert.pem' } });
    expect(failure({ ...inter, caKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' })).toMatchObject({ context: { file: 'ca-key.pem' } });
    expect(failure({ ...inter, rootCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })).toMatchObject({ context: { file: 'root-cert.pem' } });
    expect(failure(inter, T0 + 400 * 86400_000)).toMatchObject({ message: expect.stringMatching(/expired/), context: { file: 'ca-cert.pem' } });
  });
});

import forge from 'node-forge';
import { createCsr } from '../pki/csr';
import { EC_P256, generateKeyPair } from '../pki/signature';
import { fixedClock, forgeCsr, T0, testRoot, x509 } from '../testing/fixtures';
import { CertificateAuthority, CLOCK_SKEW_GRACE_MS } from './certificate-authority';
import { loadKeyCertBundle } from './key-cert-bundle';

const ID = 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage';
const ca = new CertificateAuthority(loadKeyCertBundle(testRoot(), 'self-signed', T0), fixedClock);
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('CertificateAuthority.sign', () => {
  const csr = forgeCsr();

  it("issues Istio's workload leaf shape: empty subject, critical URI SAN, usages, 24 h, chain to the root", () => {
    const chain = ca.sign({ csrPem: csr, identities: [ID], ttlSeconds: 0 });
    expect(chain).toHaveLength(2);
    const [leaf, root] = chain.map(x509);
    expect(chain[1]).toBe(ca.rootPem);
    expect(leaf!.subject ?? '').toBe(''); // node:crypto reports an empty subject as undefined
    expect(leaf!.subjectAltName).toBe(`URI:${ID}`);
    expect(leaf!.ca).toBe(false);
    expect(leaf!.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(Date.parse(leaf!.validFrom)).toBe(T0 - CLOCK_SKEW_GRACE_MS);
    expect(Date.parse(leaf!.validTo)).toBe(T0 + 24 * 3600_000);
    expect(leaf!.checkIssued(root!)).toBe(true);
    expect(leaf!.verify(root!.publicKey)).toBe(true);
    expect(leaf!.serialNumber).toMatch(/^[0-9A-F]{2,34}$/);

    // node-forge parses the same bytes and sees the flags Istio sets.
    const parsed = forge.pki.certificateFromPem(chain[0]!);
    const ext = (n: string): Record<string, unknown> => parsed.getExtension(n) as Record<string, unknown>;
    expect(ext('subjectAltName')).toMatchObject({ critical: true, altNames: [{ type: 6, value: ID }] });
    expect(ext('keyUsage')).toMatchObject({ critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: false });
    expect(ext('basicConstraints')).toMatchObject({ critical: true, cA: false });
    expect(ext('extKeyUsage')).toMatchObject({ serverAuth: true, clientAuth: true });
    expect(ext('authorityKeyIdentifier')).toBeTruthy();
  });

  it('gives each leaf its own random serial', () => {
    const serials = new Set([1, 2, 3].map(() => x509(ca.sign({ csrPem: csr, identities: [ID], ttlSeconds: 0 })[0]!).serialNumber));
    expect(serials.size).toBe(3);
  });

  it('honours validity_duration up to the maximum and refuses more (CA_TTL_TOO_LONG), as Istio', () => {
    expect(Date.parse(x509(ca.sign({ csrPem: csr, identities: [ID], ttlSeconds: 3600 })[0]!).validTo)).toBe(T0 + 3600_000);
    expect(codeOf(() => ca.sign({ csrPem: csr, identities: [ID], ttlSeconds: 91 * 86400 }))).toBe('CA_TTL_TOO_LONG');
  });

  it('signs ECDSA P-256 CSRs made by createCsr', () => {
    const key = generateKeyPair(EC_P256);
    const chain = ca.sign({ csrPem: createCsr(key.privateKey, { uris: [ID] }), identities: [ID], ttlSeconds: 0 });
    const leaf = x509(chain[0]!);
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.verify(x509(chain[1]!).publicKey)).toBe(true);
  });

  it('accepts a CSR asking for the caller identity, refuses one asking for another (CA_IDENTITY_MISMATCH)', () => {
    expect(ca.sign({ csrPem: forgeCsr([ID]), identities: [ID], ttlSeconds: 0 })).toHaveLength(2);
    const other = forgeCsr(['spiffe://cluster.local/ns/istio-system/sa/istiod']);
    expect(codeOf(() => ca.sign({ csrPem: other, identities: [ID], ttlSeconds: 0 }))).toBe('CA_IDENTITY_MISMATCH');
  });

  it('never copies the CSR subject', () => {
    const leaf = x509(ca.sign({ csrPem: forgeCsr([], 'admin.example.com'), identities: [ID], ttlSeconds: 0 })[0]!);
    expect(leaf.subject ?? '').toBe('');
    expect(leaf.subjectAltName).toBe(`URI:${ID}`);
  });

  it('refuses garbage and tampered CSRs (CA_CSR_INVALID)', () => {
    expect(codeOf(() => ca.sign({ csrPem: 'hello', identities: [ID], ttlSeconds: 0 }))).toBe('CA_CSR_INVALID');
    expect(codeOf(() => ca.sign({ csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', identities: [ID], ttlSeconds: 0 }))).toBe('CA_CSR_INVALID');
    const der = Buffer.from(csr.split('\n').filter((l) => !l.startsWith('-----')).join(''), 'base64');
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(codeOf(() => ca.sign({ csrPem: tampered, identities: [ID], ttlSeconds: 0 }))).toBe('CA_CSR_INVALID');
  });
});

describe('self-signed root', () => {
  it("has Istio's shape: O=<trust domain>, CA, certSign/cRLSign (critical), 10 years", () => {
    const root = x509(testRoot().caCert);
    expect(root.subject).toBe('O=cluster.local');
    expect(root.issuer).toBe('O=cluster.local');
    expect(root.ca).toBe(true);
    expect(Date.parse(root.validTo) - Date.parse(root.validFrom)).toBe(3650 * 86400_000);
    const parsed = forge.pki.certificateFromPem(testRoot().caCert);
    expect(parsed.getExtension('keyUsage')).toMatchObject({ critical: true, keyCertSign: true, cRLSign: true, digitalSignature: false });
    expect(parsed.getExtension('basicConstraints')).toMatchObject({ critical: true, cA: true });
    expect(parsed.getExtension('subjectKeyIdentifier')).toBeTruthy();
  });
});

// Test material: roots, intermediates and CSRs made with the library itself and with node-forge.
import { X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { CaFiles } from '../ca/ca-files';
import { generateSelfSignedRoot } from '../ca/self-signed';
import { name } from '../pki/asn1';
import { buildCertificate, parseCertificate, randomSerial } from '../pki/certificate';
import { authorityKeyIdentifier, basicConstraints, keyIdentifier, keyUsage, OID, subjectKeyIdentifier } from '../pki/extensions';
import { generateKeyPair, privateKeyFromPem, RSA_2048, spkiDer } from '../pki/signature';

/** 2030-01-02T03:04:05Z: whole seconds, so X509Certificate's validFrom/validTo compare exactly. */
export const T0 = Date.UTC(2030, 0, 2, 3, 4, 5);
export const fixedClock = (): number => T0;

/** One RSA root per test run (key generation is the slow part). */
let root: CaFiles | undefined;
export function testRoot(): CaFiles {
  root ??= generateSelfSignedRoot({ trustDomain: 'cluster.local', now: T0 - 3600_000 });
  return root;
}

/** An intermediate CA signed by `parent` (plugged-in `cacerts` shape: ca-cert, ca-key, cert-chain, root-cert). */
export function intermediateFrom(parent: CaFiles, org = 'intermediate'): CaFiles {
  const keys = generateKeyPair(RSA_2048);
  const parentCert = parseCertificate(parent.caCert);
  const spki = spkiDer(keys.publicKey);
  const extensions = [keyUsage(['keyCertSign', 'cRLSign']), basicConstraints(true), subjectKeyIdentifier(keyIdentifier(spki)), authorityKeyIdentifier(parentCert.subjectKeyId ?? Buffer.alloc(0))];
  const caCert = buildCertificate(
    { serial: randomSerial(), issuer: parentCert.subject, subject: name([[OID.organization, org]]), notBefore: new Date(T0 - 3600_000), notAfter: new Date(T0 + 365 * 86400_000), spki, extensions },
    privateKeyFromPem(parent.caKey),
  );
  const rootCert = parent.rootCert ?? parent.caCert;
  return { caCert, caKey: keys.privateKeyPem, certChain: caCert + (parent.certChain ?? '') + rootCert, rootCert };
}

/** A CSR from node-forge (RSA), optionally asking for URI SANs: what another implementation sends. */
export function forgeCsr(uris: readonly string[] = [], commonName?: string): string {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  if (commonName !== undefined) csr.setSubject([{ name: 'commonName', value: commonName }]);
  if (uris.length > 0) csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: uris.map((value) => ({ type: 6, value })) }] }]);
  csr.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

export const x509 = (pem: string): X509Certificate => new X509Certificate(pem);
export type { KeyObject };

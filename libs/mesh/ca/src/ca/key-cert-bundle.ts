import type { KeyObject, X509Certificate } from 'node:crypto';
import { CaErrorCode, caError } from '../errors';
import { parseCertificate, type ParsedCertificate } from '../pki/certificate';
import { splitCertificates } from '../pki/pem';
import { privateKeyFromPem } from '../pki/signature';
import { CA_FILE_NAMES, type CaFiles, type CaSource } from './ca-files';

/**
 * Verified CA material (Istio's KeyCertBundle): the signing certificate and key, the intermediates
 * from the signing certificate up to (not including) the root, and the root.
 */
export interface KeyCertBundle {
  readonly source: CaSource;
  readonly signingCert: ParsedCertificate;
  readonly signingKey: KeyObject;
  /** PEM each, the signing certificate first when it is not the root; empty for a self-signed CA. */
  readonly intermediates: readonly string[];
  readonly rootPem: string;
  /** What was loaded, to persist or publish as is. */
  readonly files: CaFiles;
}

const MAX_CHAIN = 8;

function invalid(file: string, message: string, extra: Record<string, unknown> = {}): Error {
  return caError(CaErrorCode.materialInvalid, message, { file, ...extra });
}

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

function readKey(pem: string): KeyObject {
  try {
    return privateKeyFromPem(pem);
  } catch (err) {
    throw caError(CaErrorCode.materialInvalid, 'CA private key does not parse', { file: CA_FILE_NAMES.caKey, reason: err instanceof Error ? err.message : String(err) }, err);
  }
}

/** The path from `signing` to `root` through `pool`: the certificates between them, in order. */
function pathToRoot(signing: ParsedCertificate, root: ParsedCertificate, pool: readonly ParsedCertificate[]): ParsedCertificate[] | undefined {
  const path: ParsedCertificate[] = [];
  let current = signing;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (signedBy(current.x509, root.x509)) return path;
    const issuer = pool.find((c) => !path.includes(c) && c !== current && signedBy(current.x509, c.x509));
    if (issuer === undefined) return undefined;
    path.push(issuer);
    current = issuer;
  }
  return undefined;
}

function checkCa(cert: ParsedCertificate, file: string, now: number): void {
  if (!cert.x509.ca) throw invalid(file, 'certificate is not a CA (basicConstraints cA is not TRUE)', { subject: cert.x509.subject });
  if (Date.parse(cert.x509.validTo) <= now) throw invalid(file, 'CA certificate has expired', { notAfter: cert.x509.validTo });
}

/**
 * Verify CA material as Istio does before using it: the key matches the signing certificate, the
 * signing certificate and root are CAs and unexpired, the root is self-signed, and the signing
 * certificate chains to the root through `cert-chain.pem`. Errors name the offending file.
 */
export function loadKeyCertBundle(files: CaFiles, source: CaSource, now: number): KeyCertBundle {
  const signingCert = parseCertificate(files.caCert, CA_FILE_NAMES.caCert);
  const signingKey = readKey(files.caKey);
  if (!signingCert.x509.checkPrivateKey(signingKey)) throw invalid(CA_FILE_NAMES.caKey, 'CA private key does not match the CA certificate', { certificate: CA_FILE_NAMES.caCert });
  checkCa(signingCert, CA_FILE_NAMES.caCert, now);
  const rootText = files.rootCert?.trim() ? files.rootCert : files.caCert;
  const rootFile = files.rootCert?.trim() ? CA_FILE_NAMES.rootCert : CA_FILE_NAMES.caCert;
  const root = parseCertificate(rootText, rootFile);
  checkCa(root, rootFile, now);
  if (!signedBy(root.x509, root.x509)) throw invalid(rootFile, 'root certificate is not self-signed');
  const isRoot = signingCert.x509.fingerprint256 === root.x509.fingerprint256;
  const chainPems = splitCertificates(files.certChain ?? '');
  const pool = chainPems.map((pem) => parseCertificate(pem, CA_FILE_NAMES.certChain)).filter((c) => c.x509.fingerprint256 !== root.x509.fingerprint256 && c.x509.fingerprint256 !== signingCert.x509.fingerprint256);
  const path = isRoot ? [] : pathToRoot(signingCert, root, pool);
  if (path === undefined) {
    throw invalid(chainPems.length > 0 ? CA_FILE_NAMES.certChain : CA_FILE_NAMES.rootCert, 'the CA certificate does not chain to the root certificate', { caCert: signingCert.x509.subject, root: root.x509.subject });
  }
  const intermediates = isRoot ? [] : [signingCert.pem, ...path.map((c) => c.pem)];
  return { source, signingCert, signingKey, intermediates, rootPem: root.pem, files };
}

import { name } from '../pki/asn1';
import { buildCertificate, randomSerial } from '../pki/certificate';
import { parseCsr } from '../pki/csr';
import { authorityKeyIdentifier, basicConstraints, extKeyUsage, keyUsage, OID, subjectAltName, type AltNames } from '../pki/extensions';
import { generateKeyPair, RSA_2048, spkiDer, type KeyAlgorithm } from '../pki/signature';
import { CaErrorCode, caError } from '../errors';
import type { Clock } from './clock';
import type { KeyCertBundle } from './key-cert-bundle';
import { ISTIO_TTL_POLICY, leafNotAfter, type TtlPolicy } from './ttl';

/** Istio's ClockSkewGracePeriod: leaves are valid from two minutes before signing. */
export const CLOCK_SKEW_GRACE_MS = 2 * 60 * 1000;

export interface SignRequest {
  readonly csrPem: string;
  /** The caller's identities (SPIFFE URIs) from authentication: the leaf's only SANs. */
  readonly identities: readonly string[];
  /** `validity_duration` in seconds; ≤ 0 = the default. */
  readonly ttlSeconds: number;
}

export interface ServerCertificate {
  /** Leaf, intermediates, root (PEM each). */
  readonly chain: readonly string[];
  readonly keyPem: string;
}

/**
 * The signing core (Istio's IstioCA): no I/O, time from `clock`. Leaves have an empty subject, the
 * caller's identities as a critical SAN extension, keyUsage digitalSignature + keyEncipherment,
 * extKeyUsage serverAuth + clientAuth, a 128-bit random serial, notBefore two minutes back.
 */
export class CertificateAuthority {
  constructor(
    readonly bundle: KeyCertBundle,
    private readonly clock: Clock,
    private readonly ttl: TtlPolicy = ISTIO_TTL_POLICY,
  ) {}

  get rootPem(): string {
    return this.bundle.rootPem;
  }

  /** Sign a workload CSR; returns Istio's `cert_chain`: leaf, each intermediate, root last. */
  sign(request: SignRequest): string[] {
    const csr = parseCsr(request.csrPem);
    const requested = [...csr.altNames.uris, ...csr.altNames.dns, ...csr.altNames.ips];
    const foreign = requested.filter((n) => !request.identities.includes(n));
    if (foreign.length > 0) {
      throw caError(CaErrorCode.identityMismatch, 'CSR asks for an identity the caller does not own', { requested: foreign, caller: [...request.identities] });
    }
    const now = this.clock();
    const notAfter = leafNotAfter(request.ttlSeconds, this.ttl, now, Date.parse(this.bundle.signingCert.x509.validTo));
    const leaf = this.issue(csr.spki, { uris: request.identities, dns: [], ips: [] }, now, notAfter);
    return [leaf, ...this.bundle.intermediates, this.bundle.rootPem];
  }

  /**
   * A serving certificate with DNS/IP SANs and a fresh key, as istiod issues itself for 15012
   * (`GenKeyCert(dnsNames, SelfSignedCACertTTL)`: the CA's lifetime, bounded by the CA certificate).
   */
  issueServerCertificate(names: { dns: readonly string[]; ips: readonly string[] }, keyAlgorithm: KeyAlgorithm = RSA_2048): ServerCertificate {
    const keys = generateKeyPair(keyAlgorithm);
    const now = this.clock();
    const leaf = this.issue(spkiDer(keys.publicKey), { uris: [], dns: names.dns, ips: names.ips }, now, Date.parse(this.bundle.signingCert.x509.validTo));
    return { chain: [leaf, ...this.bundle.intermediates, this.bundle.rootPem], keyPem: keys.privateKeyPem };
  }

  private issue(spki: Buffer, altNames: AltNames, now: number, notAfter: number): string {
    const signer = this.bundle.signingCert;
    const extensions = [
      keyUsage(['digitalSignature', 'keyEncipherment']),
      extKeyUsage([OID.serverAuth, OID.clientAuth]),
      basicConstraints(false),
      ...(signer.subjectKeyId === undefined ? [] : [authorityKeyIdentifier(signer.subjectKeyId)]),
      subjectAltName(altNames, true),
    ];
    const template = { serial: randomSerial(), issuer: signer.subject, subject: name([]), notBefore: new Date(now - CLOCK_SKEW_GRACE_MS), notAfter: new Date(notAfter), spki, extensions };
    return buildCertificate(template, this.bundle.signingKey);
  }
}

import { name } from '../pki/asn1';
import { buildCertificate, randomSerial } from '../pki/certificate';
import { basicConstraints, keyIdentifier, keyUsage, OID, subjectKeyIdentifier } from '../pki/extensions';
import { generateKeyPair, RSA_2048, spkiDer, type KeyAlgorithm } from '../pki/signature';
import type { CaFiles } from './ca-files';

/** `CITADEL_SELF_SIGNED_CA_CERT_TTL`: 10 years (3650 days). */
export const SELF_SIGNED_ROOT_TTL_MS = 3650 * 24 * 3600 * 1000;

export interface RootOptions {
  /** Becomes the root's organization (Istio: `O=<trust domain>`). */
  readonly trustDomain: string;
  /** Default RSA 2048 (Istio's `caKeySize`). */
  readonly keyAlgorithm?: KeyAlgorithm;
  readonly ttlMs?: number;
  /** ms since the epoch. */
  readonly now: number;
}

/**
 * A self-signed root as istiod creates on first start: subject `O=<trust domain>`, valid from now
 * for 10 years, basicConstraints cA (critical), keyUsage keyCertSign + cRLSign (critical), SKI.
 */
export function generateSelfSignedRoot(options: RootOptions): CaFiles {
  const keys = generateKeyPair(options.keyAlgorithm ?? RSA_2048);
  const spki = spkiDer(keys.publicKey);
  const subject = name([[OID.organization, options.trustDomain]]);
  const caCert = buildCertificate(
    {
      serial: randomSerial(),
      issuer: subject,
      subject,
      notBefore: new Date(options.now),
      notAfter: new Date(options.now + (options.ttlMs ?? SELF_SIGNED_ROOT_TTL_MS)),
      spki,
      extensions: [keyUsage(['keyCertSign', 'cRLSign']), basicConstraints(true), subjectKeyIdentifier(keyIdentifier(spki))],
    },
    keys.privateKey,
  );
  return { caCert, caKey: keys.privateKeyPem };
}

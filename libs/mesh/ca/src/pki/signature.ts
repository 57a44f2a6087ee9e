import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { CaErrorCode, caError } from '../errors';
import { nullValue, oid, seq, type Asn1 } from './asn1';

/** Key types Istio uses: RSA 2048 by default, ECDSA P-256 (`ECC_SIGNATURE_ALGORITHM=ECDSA`), P-384. */
export type KeyAlgorithm = { readonly kind: 'rsa'; readonly bits: number } | { readonly kind: 'ec'; readonly curve: 'P-256' | 'P-384' };

export const RSA_2048: KeyAlgorithm = { kind: 'rsa', bits: 2048 };
export const EC_P256: KeyAlgorithm = { kind: 'ec', curve: 'P-256' };

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Istio's encodings: PKCS#1 `RSA PRIVATE KEY` or SEC 1 `EC PRIVATE KEY`. */
  readonly privateKeyPem: string;
}

export function generateKeyPair(algorithm: KeyAlgorithm): KeyPair {
  const { privateKey, publicKey } =
    algorithm.kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: algorithm.bits }) : generateKeyPairSync('ec', { namedCurve: algorithm.curve });
  const type = algorithm.kind === 'rsa' ? 'pkcs1' : 'sec1';
  return { privateKey, publicKey, privateKeyPem: privateKey.export({ type, format: 'pem' }).toString() };
}

export const privateKeyFromPem = (pem: string): KeyObject => createPrivateKey(pem);
/** SubjectPublicKeyInfo DER of a public key, or of a private key's public half. */
export const spkiDer = (key: KeyObject): Buffer => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });

interface SignatureAlgorithm {
  readonly oid: string;
  readonly hash: string;
  /** RSA PKCS#1 v1.5 identifiers carry an explicit NULL parameter; ECDSA ones carry none. */
  readonly nullParams: boolean;
}

const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  { oid: '1.2.840.113549.1.1.11', hash: 'sha256', nullParams: true },
  { oid: '1.2.840.113549.1.1.12', hash: 'sha384', nullParams: true },
  { oid: '1.2.840.113549.1.1.13', hash: 'sha512', nullParams: true },
  { oid: '1.2.840.10045.4.3.2', hash: 'sha256', nullParams: false },
  { oid: '1.2.840.10045.4.3.3', hash: 'sha384', nullParams: false },
  { oid: '1.2.840.10045.4.3.4', hash: 'sha512', nullParams: false },
];

/** What Go's x509 picks for a signer key: SHA-256 with RSA, ECDSA with the curve's hash. */
function algorithmFor(key: KeyObject): SignatureAlgorithm {
  const details = key.asymmetricKeyDetails;
  const oidFor =
    key.asymmetricKeyType === 'rsa' ? '1.2.840.113549.1.1.11' : key.asymmetricKeyType === 'ec' ? (details?.namedCurve === 'secp384r1' ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2') : undefined;
  const found = SIGNATURE_ALGORITHMS.find((a) => a.oid === oidFor);
  if (found === undefined) throw caError(CaErrorCode.unsupportedAlgorithm, 'signing key is neither RSA nor ECDSA', { keyType: key.asymmetricKeyType });
  return found;
}

/** The AlgorithmIdentifier a certificate signed by `key` declares (in TBS and outside it). */
export function signatureAlgorithmIdentifier(key: KeyObject): Asn1 {
  const alg = algorithmFor(key);
  return seq(alg.nullParams ? [oid(alg.oid), nullValue()] : [oid(alg.oid)]);
}

export function signWith(key: KeyObject, data: Buffer): Buffer {
  return sign(algorithmFor(key).hash, data, key);
}

/** Verify `signature` over `data` by the algorithm `algorithmOid` names; false for unknown algorithms. */
export function verifyWith(algorithmOid: string | undefined, data: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  const alg = SIGNATURE_ALGORITHMS.find((a) => a.oid === algorithmOid);
  if (alg === undefined) return false;
  try {
    return verify(alg.hash, data, publicKey, signature);
  } catch {
    return false;
  }
}

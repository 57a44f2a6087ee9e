import { createPublicKey, type KeyObject } from 'node:crypto';
import { CaErrorCode, caError } from '../errors';
import { bitString, bitStringBytes, children, fromDer, implicitConstructed, isContext, name, oid, oidOf, primitive, seq, set, smallInteger, toDer, type Asn1 } from './asn1';
import { OID, readAltNames, subjectAltName, type AltNames } from './extensions';
import { pemBlocks, toPem } from './pem';
import { signatureAlgorithmIdentifier, signWith, spkiDer, verifyWith } from './signature';

/** What the CA reads from a PKCS#10 request whose signature verified. */
export interface ParsedCsr {
  readonly spki: Buffer;
  readonly publicKey: KeyObject;
  /** The SANs the CSR asks for (its extensionRequest attribute); empty when it asks for none. */
  readonly altNames: AltNames;
  readonly commonName: string | undefined;
}

const MIN_RSA_BITS = 2048;
const NO_NAMES: AltNames = { uris: [], dns: [], ips: [] };

function invalid(message: string, context: Record<string, unknown> = {}, cause?: unknown): Error {
  return caError(CaErrorCode.csrInvalid, message, context, cause);
}

function requestedAltNames(attributes: Asn1 | undefined): AltNames {
  for (const attribute of children(attributes)) {
    const [type, values] = children(attribute);
    if (oidOf(type) !== OID.extensionRequest) continue;
    for (const ext of children(children(values)[0])) {
      const parts = children(ext);
      if (oidOf(parts[0]) === OID.subjectAltName) return readAltNames(fromDer(primitive(parts[parts.length - 1])));
    }
  }
  return NO_NAMES;
}

function commonNameOf(subject: Asn1 | undefined): string | undefined {
  for (const rdn of children(subject)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (oidOf(type) === OID.commonName) return primitive(value).toString('utf8');
    }
  }
  return undefined;
}

function publicKeyOf(spki: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (err) {
    throw invalid('CSR public key is not a supported key', {}, err);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType === 'rsa' && (bits ?? 0) < MIN_RSA_BITS) throw invalid('CSR RSA key is shorter than 2048 bits', { bits });
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') throw invalid('CSR key is neither RSA nor ECDSA', { keyType: key.asymmetricKeyType });
  return key;
}

/** Parse a PEM PKCS#10 CSR and verify its self-signature; throws `CA_CSR_INVALID` saying what is wrong. */
export function parseCsr(pem: string): ParsedCsr {
  const block = pemBlocks(pem).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
  if (block === undefined) throw invalid('CSR has no PEM CERTIFICATE REQUEST block');
  let parts: Asn1[];
  try {
    parts = children(fromDer(block.der));
  } catch (err) {
    throw invalid('CSR is not valid DER', { reason: err instanceof Error ? err.message : String(err) }, err);
  }
  const [info, algorithm, signature] = parts;
  const infoParts = children(info);
  const spkiNode = infoParts[2];
  if (parts.length !== 3 || spkiNode === undefined) throw invalid('CSR is not a PKCS#10 CertificationRequest');
  const spki = toDer(spkiNode);
  const publicKey = publicKeyOf(spki);
  const algorithmOid = oidOf(children(algorithm)[0]);
  if (info === undefined || !verifyWith(algorithmOid, toDer(info), publicKey, bitStringBytes(signature))) {
    throw invalid('CSR signature does not verify with its own public key', { algorithm: algorithmOid });
  }
  return { spki, publicKey, altNames: requestedAltNames(infoParts.find((p) => isContext(p, 0))), commonName: commonNameOf(infoParts[1]) };
}

/** A PKCS#10 CSR for `names` signed by `privateKey` (what a workload agent sends; empty subject, as Istio's agent). */
export function createCsr(privateKey: KeyObject, names: Partial<AltNames>): string {
  const all: AltNames = { uris: names.uris ?? [], dns: names.dns ?? [], ips: names.ips ?? [] };
  const hasNames = all.uris.length + all.dns.length + all.ips.length > 0;
  const attributes = hasNames ? [seq([oid(OID.extensionRequest), set([seq([subjectAltName(all, true)])])])] : [];
  const info = seq([smallInteger(0), name([]), fromDer(spkiDer(privateKey)), implicitConstructed(0, attributes)]);
  const signature = signWith(privateKey, toDer(info));
  return toPem('CERTIFICATE REQUEST', toDer(seq([info, signatureAlgorithmIdentifier(privateKey), bitString(signature)])));
}

import { randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { CaErrorCode, caError } from '../errors';
import { bitString, children, explicit, fromDer, isContext, oidOf, primitive, seq, smallInteger, time, toDer, unsignedInteger, type Asn1 } from './asn1';
import { OID } from './extensions';
import { pemBlocks, toPem } from './pem';
import { signatureAlgorithmIdentifier, signWith } from './signature';

/** Everything a v3 certificate says, before it is signed. */
export interface CertificateTemplate {
  /** Serial magnitude (big-endian); `randomSerial()` gives Go's 128-bit random serial. */
  readonly serial: Buffer;
  readonly issuer: Asn1;
  readonly subject: Asn1;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Buffer;
  readonly extensions: readonly Asn1[];
}

/** A positive serial below 2^128, as Istio's genSerialNum. */
export function randomSerial(): Buffer {
  const bytes = randomBytes(16);
  if (bytes.every((b) => b === 0)) bytes[15] = 1;
  return bytes;
}

/** Encode and sign; returns PEM. */
export function buildCertificate(template: CertificateTemplate, signingKey: KeyObject): string {
  const algorithm = signatureAlgorithmIdentifier(signingKey);
  const tbs = seq([
    explicit(0, smallInteger(2)),
    unsignedInteger(template.serial),
    algorithm,
    template.issuer,
    seq([time(template.notBefore), time(template.notAfter)]),
    template.subject,
    fromDer(template.spki),
    explicit(3, seq([...template.extensions])),
  ]);
  const signature = signWith(signingKey, toDer(tbs));
  return toPem('CERTIFICATE', toDer(seq([tbs, algorithm, bitString(signature)])));
}

/** A parsed certificate: node:crypto's view plus the raw parts a signer needs. */
export interface ParsedCertificate {
  readonly pem: string;
  readonly x509: X509Certificate;
  /** The subject Name as encoded, to become the issuer of what this certificate signs. */
  readonly subject: Asn1;
  readonly spki: Buffer;
  readonly subjectKeyId: Buffer | undefined;
}

function extensionValue(tbsParts: Asn1[], id: string): Buffer | undefined {
  const exts = children(children(tbsParts.find((p) => isContext(p, 3)))[0]);
  const ext = exts.find((e) => oidOf(children(e)[0]) === id);
  const parts = children(ext);
  return ext === undefined ? undefined : primitive(parts[parts.length - 1]);
}

/** Parse the first CERTIFICATE of `pem`; throws `CA_MATERIAL_INVALID` naming `what`. */
export function parseCertificate(pem: string, what = 'certificate'): ParsedCertificate {
  const block = pemBlocks(pem).find((b) => b.label === 'CERTIFICATE');
  if (block === undefined) throw caError(CaErrorCode.materialInvalid, 'no PEM CERTIFICATE block', { file: what });
  try {
    const x509 = new X509Certificate(block.der);
    const tbsParts = children(children(fromDer(block.der))[0]);
    const off = isContext(tbsParts[0], 0) ? 1 : 0;
    const subject = tbsParts[off + 4];
    const spkiNode = tbsParts[off + 5];
    if (subject === undefined || spkiNode === undefined) throw new Error('TBSCertificate is too short');
    const ski = extensionValue(tbsParts, OID.subjectKeyIdentifier);
    return { pem: toPem('CERTIFICATE', block.der), x509, subject, spki: toDer(spkiNode), subjectKeyId: ski === undefined ? undefined : primitive(fromDer(ski)) };
  } catch (err) {
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('CA_')) throw err;
    throw caError(CaErrorCode.materialInvalid, 'certificate does not parse as X.509', { file: what, reason: err instanceof Error ? err.message : String(err) }, err);
  }
}

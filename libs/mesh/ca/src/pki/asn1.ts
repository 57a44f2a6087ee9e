import { createRequire } from 'node:module';
import type forge from 'node-forge';

// DER building and reading over node-forge's ASN.1 codec. forge's `pki` module handles RSA keys
// only; Istio workloads may use ECDSA P-256, so certificates and CSRs are assembled here from ASN.1
// and signed with node:crypto (see signature.ts), which handles RSA and EC alike.
// Only forge's ASN.1 module (with util and the OID table) is loaded, not `node-forge` itself: its index
// loads all of forge (TLS, PKCS#7/#12, ciphers, RSA), ~2 MB of RSS in every proxy that makes a CSR.

export type Asn1 = forge.asn1.Asn1;
// The module files export their namespace of the `forge` object (@types/node-forge types only the index).
const load = createRequire(__filename);
const asn1 = load('node-forge/lib/asn1') as typeof forge.asn1;
const util = load('node-forge/lib/util') as typeof forge.util;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

/** Bytes as forge's binary strings and back. */
export const toBinary = (b: Buffer): string => b.toString('binary');
export const fromBinary = (s: string): Buffer => Buffer.from(s, 'binary');

export const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
export const oid = (dotted: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(dotted).getBytes());
export const bool = (value: boolean): Asn1 => asn1.create(U, T.BOOLEAN, false, value ? '\xff' : '\x00');
export const nullValue = (): Asn1 => asn1.create(U, T.NULL, false, '');
export const octets = (bytes: Buffer): Asn1 => asn1.create(U, T.OCTETSTRING, false, toBinary(bytes));
export const bitString = (bytes: Buffer, unusedBits = 0): Asn1 => asn1.create(U, T.BITSTRING, false, String.fromCharCode(unusedBits) + toBinary(bytes));
export const explicit = (tag: number, inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [inner]);
/** `[tag] IMPLICIT SET OF …` / `SEQUENCE OF …`: a constructed context tag around `items`. */
export const implicitConstructed = (tag: number, items: Asn1[]): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
export const implicitPrimitive = (tag: number, bytes: Buffer): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, toBinary(bytes));

/** A non-negative INTEGER from big-endian magnitude bytes (a 0x00 is prefixed when the top bit is set). */
export function unsignedInteger(magnitude: Buffer): Asn1 {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  const bytes = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return asn1.create(U, T.INTEGER, false, toBinary(bytes));
}

export const smallInteger = (n: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());

/** X.509 Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A Name of single-valued RDNs, e.g. `[['2.5.4.10', 'cluster.local']]`; Go's choice of string type. */
export function name(attributes: readonly (readonly [string, string])[]): Asn1 {
  return seq(
    attributes.map(([type, value]) =>
      set([seq([oid(type), asn1.create(U, PRINTABLE.test(value) ? T.PRINTABLESTRING : T.UTF8, false, PRINTABLE.test(value) ? value : util.encodeUtf8(value))])]),
    ),
  );
}

export const toDer = (node: Asn1): Buffer => fromBinary(asn1.toDer(node).getBytes());

/** Strict DER parse; BIT STRINGs stay opaque so re-encoding reproduces the input bytes. */
export function fromDer(der: Buffer): Asn1 {
  // forge takes an options object here; @types/node-forge only knows the older boolean `strict`.
  const parse = asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: { strict: boolean; decodeBitStrings: boolean }) => Asn1;
  return parse(util.createBuffer(toBinary(der)), { strict: true, decodeBitStrings: false });
}

export function children(node: Asn1 | undefined): Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}

export function primitive(node: Asn1 | undefined): Buffer {
  return node !== undefined && typeof node.value === 'string' ? fromBinary(node.value) : Buffer.alloc(0);
}

export function oidOf(node: Asn1 | undefined): string | undefined {
  return node !== undefined && node.tagClass === U && node.type === T.OID && typeof node.value === 'string' ? asn1.derToOid(node.value) : undefined;
}

export const isContext = (node: Asn1 | undefined, tag: number): boolean => node?.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;

/** The bytes of a BIT STRING (its unused-bits count dropped). */
export function bitStringBytes(node: Asn1 | undefined): Buffer {
  return primitive(node).subarray(1);
}

import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { bitString, bitStringBytes, bool, children, fromDer, implicitPrimitive, octets, oid, seq, toDer, type Asn1 } from './asn1';

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  organization: '2.5.4.10',
  commonName: '2.5.4.3',
  extensionRequest: '1.2.840.113549.1.9.14',
} as const;

/** Subject alternative names by GeneralName kind. */
export interface AltNames {
  readonly uris: readonly string[];
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

export const KEY_USAGE_BITS = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return seq([oid(id), ...(critical ? [bool(true)] : []), octets(toDer(value))]);
}

/** Critical, as Go writes it; CA certificates carry cA TRUE and no path length. */
export function basicConstraints(isCA: boolean): Asn1 {
  return extension(OID.basicConstraints, true, seq(isCA ? [bool(true)] : []));
}

/** Critical named-bit BIT STRING, trailing zero bits dropped (DER). */
export function keyUsage(usages: readonly KeyUsage[]): Asn1 {
  const bits = usages.map((u) => KEY_USAGE_BITS[u]);
  const byteCount = Math.floor(Math.max(...bits) / 8) + 1;
  const bytes = Buffer.alloc(byteCount);
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7));
  const last = bytes[byteCount - 1] ?? 0;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return extension(OID.keyUsage, true, bitString(bytes, unused));
}

export function extKeyUsage(purposes: readonly string[]): Asn1 {
  return extension(OID.extKeyUsage, false, seq(purposes.map((p) => oid(p))));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = ip.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** Istio marks the SAN extension critical: its leaves have an empty subject (RFC 5280 §4.2.1.6). */
export function subjectAltName(names: AltNames, critical: boolean): Asn1 {
  const general = [
    ...names.uris.map((u) => implicitPrimitive(6, Buffer.from(u, 'ascii'))),
    ...names.dns.map((d) => implicitPrimitive(2, Buffer.from(d, 'ascii'))),
    ...names.ips.map((ip) => implicitPrimitive(7, ipBytes(ip))),
  ];
  return extension(OID.subjectAltName, critical, seq(general));
}

/** RFC 5280 method 1 (Go's): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Buffer): Buffer {
  return createHash('sha1').update(bitStringBytes(children(fromDer(spki))[1])).digest();
}

export const subjectKeyIdentifier = (keyId: Buffer): Asn1 => extension(OID.subjectKeyIdentifier, false, octets(keyId));
export const authorityKeyIdentifier = (keyId: Buffer): Asn1 => extension(OID.authorityKeyIdentifier, false, seq([implicitPrimitive(0, keyId)]));

/** GeneralNames (a SAN extension's value) → names by kind; other kinds are ignored. */
export function readAltNames(generalNames: Asn1): AltNames {
  const uris: string[] = [];
  const dns: string[] = [];
  const ips: string[] = [];
  for (const n of children(generalNames)) {
    const raw = typeof n.value === 'string' ? Buffer.from(n.value, 'binary') : Buffer.alloc(0);
    if (n.type === 6) uris.push(raw.toString('ascii'));
    else if (n.type === 2) dns.push(raw.toString('ascii'));
    else if (n.type === 7) ips.push(raw.length === 4 ? [...raw].join('.') : (raw.toString('hex').match(/.{4}/g) ?? []).join(':'));
  }
  return { uris, dns, ips };
}

/** PEM armour for DER blocks (RFC 7468), and splitting of concatenated PEM files. */

export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST' | 'PRIVATE KEY' | 'RSA PRIVATE KEY' | 'EC PRIVATE KEY';

export function toPem(label: PemLabel, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n\t ]*?)-----END \1-----/g;

export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => ({ label: m[1] ?? '', der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64') }));
}

/** Every CERTIFICATE block of a PEM file, each re-armoured on its own (order kept). */
export function splitCertificates(text: string): string[] {
  return pemBlocks(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => toPem('CERTIFICATE', b.der));
}

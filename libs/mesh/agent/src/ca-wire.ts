/**
 * `istio.v1.auth.IstioCertificateRequest`/`Response` on the wire, by hand (three fields), so the
 * proxy loads neither protobufjs nor grpc-js: request `csr` = 1 (string), `validity_duration` = 3
 * (int64); response `repeated string cert_chain` = 1. Unknown response fields are skipped.
 */

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

export function encodeCertificateRequest(csrPem: string, validitySeconds: number): Buffer {
  const csr = Buffer.from(csrPem, 'utf8');
  const parts = [Buffer.from([0x0a]), varint(csr.length), csr];
  if (validitySeconds > 0) parts.push(Buffer.from([0x18]), varint(Math.floor(validitySeconds)));
  return Buffer.concat(parts);
}

function readVarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const byte = buf[i] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 0x80;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new Error('truncated varint');
}

/** The `cert_chain` strings of an IstioCertificateResponse; throws on malformed input. */
export function decodeCertificateResponse(buf: Buffer): string[] {
  const chain: string[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, afterKey] = readVarint(buf, at);
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) at = readVarint(buf, afterKey)[1];
    else if (wire === 1 || wire === 5) at = afterKey + (wire === 1 ? 8 : 4);
    else if (wire === 2) {
      const [length, start] = readVarint(buf, afterKey);
      if (start + length > buf.length) throw new Error('truncated field');
      if (field === 1) chain.push(buf.toString('utf8', start, start + length));
      at = start + length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return chain;
}

/**
 * The few protobuf writing primitives the hand-written messages need (response-wire.ts,
 * request-wire.ts): varints, and length-delimited fields built as Buffers. Proto3 defaults (empty
 * strings, empty messages where the field has no presence) are left out by the callers.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

const EMPTY = Buffer.alloc(0);

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes a non-negative integer (< 2^53) as a varint at `at`; returns the offset after it. */
export function writeVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

/** One length-delimited field: tag, length, payload. */
export function lengthDelimited(field: number, payload: Buffer): Buffer {
  const tag = (field << 3) | WIRE_LEN;
  const out = Buffer.allocUnsafe(varintSize(tag) + varintSize(payload.length) + payload.length);
  const at = writeVarint(out, writeVarint(out, 0, tag), payload.length);
  payload.copy(out, at);
  return out;
}

/** A string field, omitted when empty (proto3 default). */
export function stringField(field: number, value: string): Buffer {
  return value === '' ? EMPTY : lengthDelimited(field, Buffer.from(value, 'utf8'));
}

/** A varint field (non-negative values), written even when 0 (callers decide presence). */
export function varintField(field: number, value: number): Buffer {
  const tag = (field << 3) | WIRE_VARINT;
  const out = Buffer.allocUnsafe(varintSize(tag) + varintSize(value));
  writeVarint(out, writeVarint(out, 0, tag), value);
  return out;
}

export function doubleField(field: number, value: number): Buffer {
  const tag = (field << 3) | WIRE_FIXED64;
  const out = Buffer.allocUnsafe(varintSize(tag) + 8);
  out.writeDoubleLE(value, writeVarint(out, 0, tag));
  return out;
}

/** A message field from its encoded fields (written even when empty: the field is present). */
export function messageField(field: number, parts: readonly Buffer[]): Buffer {
  return lengthDelimited(field, Buffer.concat(parts));
}

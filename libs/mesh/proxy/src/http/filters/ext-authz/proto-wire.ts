/**
 * The few protobuf wire primitives the ext_authz gRPC client needs to write a CheckRequest and read a
 * CheckResponse by hand: the proxy loads neither protobufjs nor grpc-js (docs/architecture.md), and
 * these two messages are small and fixed (envoy/service/auth/v3/external_auth.proto).
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A length-delimited field (a message, a string, bytes); an empty payload is still written. */
export function lenField(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(varint((field << 3) | WIRE_LEN)), Buffer.from(varint(payload.length)), payload]);
}

/** A message field from its already-encoded fields. */
export function messageField(field: number, parts: readonly Buffer[]): Buffer {
  return lenField(field, Buffer.concat(parts));
}

/** A string field, left out when empty (proto3 default). */
export function stringField(field: number, value: string | undefined): Buffer {
  return value === undefined || value === '' ? Buffer.alloc(0) : lenField(field, Buffer.from(value, 'utf8'));
}

/** A non-negative varint field (uint32, int64 ≥ 0), left out when 0. */
export function varintField(field: number, value: number): Buffer {
  return value === 0 ? Buffer.alloc(0) : Buffer.from([...varint((field << 3) | WIRE_VARINT), ...varint(value)]);
}

/** One decoded field: varints as numbers (< 2^53), length-delimited payloads as Buffers. */
export type WireValue = number | Buffer;

/** A message's fields by number, repeated values in order. Throws RangeError on malformed input. */
export function readFields(buf: Buffer): Map<number, WireValue[]> {
  const out = new Map<number, WireValue[]>();
  let at = 0;
  const next = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (at >= buf.length) throw new RangeError('truncated varint');
      const b = buf[at++] as number;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
  };
  while (at < buf.length) {
    const tag = next();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: WireValue | undefined;
    if (wire === WIRE_VARINT) value = next();
    else if (wire === WIRE_LEN) {
      const len = next();
      if (at + len > buf.length) throw new RangeError('truncated field');
      value = buf.subarray(at, (at += len));
    } else if (wire === WIRE_FIXED64) at += 8;
    else if (wire === WIRE_FIXED32) at += 4;
    else throw new RangeError(`unsupported wire type ${wire}`);
    if (value !== undefined) out.set(field, [...(out.get(field) ?? []), value]);
  }
  if (at > buf.length) throw new RangeError('truncated field');
  return out;
}

/** The last value of a length-delimited field (proto3: the last one wins), or undefined. */
export function bytesOf(fields: Map<number, WireValue[]>, field: number): Buffer | undefined {
  const v = fields.get(field)?.at(-1);
  return Buffer.isBuffer(v) ? v : undefined;
}

export function stringOf(fields: Map<number, WireValue[]>, field: number): string {
  return bytesOf(fields, field)?.toString('utf8') ?? '';
}

export function numberOf(fields: Map<number, WireValue[]>, field: number): number {
  const v = fields.get(field)?.at(-1);
  return typeof v === 'number' ? v : 0;
}

/** Every payload of a repeated message/string field. */
export function allBytesOf(fields: Map<number, WireValue[]>, field: number): Buffer[] {
  return (fields.get(field) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v));
}

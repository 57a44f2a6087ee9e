/**
 * A protobuf wire-format reader over one Buffer: varints, fixed-width numbers, length-delimited
 * slices, and skipping of unknown fields. 64-bit integers become Numbers the way protobufjs'
 * `longs: Number` conversion computes them (exact up to 2^53).
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;

export class WireReader {
  pos: number;
  /** The current message's end (narrowed while a nested message is read). */
  end: number;
  /** Low and high 32 bits of the last 64-bit varint read. */
  private lo = 0;
  private hi = 0;

  constructor(readonly buf: Buffer, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new RangeError(`index out of range: ${this.pos} + 1 > ${this.end}`);
    return this.buf[this.pos++] as number;
  }

  /** A varint of up to 10 bytes, split into lo/hi 32-bit halves. */
  private varint64(): void {
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.set(lo, 0);
    }
    b = this.byte(); // bits 28..34: four to lo, three to hi
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.set(lo, hi);
    for (let shift = 3; shift < 32; shift += 7) {
      b = this.byte();
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.set(lo, hi);
    }
    throw new RangeError('invalid varint encoding');
  }

  private set(lo: number, hi: number): void {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  uint32(): number {
    this.varint64();
    return this.lo;
  }

  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  uint64(): number {
    this.varint64();
    return this.lo + this.hi * TWO_32;
  }

  int64(): number {
    this.varint64();
    return signed(this.lo, this.hi);
  }

  sint64(): number {
    this.varint64();
    const mask = -(this.lo & 1);
    const lo = ((this.lo >>> 1) | (this.hi << 31)) ^ mask;
    const hi = (this.hi >>> 1) ^ mask;
    return signed(lo >>> 0, hi >>> 0);
  }

  private take(n: number): number {
    if (this.pos + n > this.end) throw new RangeError(`index out of range: ${this.pos} + ${n} > ${this.end}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  fixed32(): number {
    return this.buf.readUInt32LE(this.take(4));
  }

  sfixed32(): number {
    return this.buf.readInt32LE(this.take(4));
  }

  fixed64(): number {
    const at = this.take(8);
    return this.buf.readUInt32LE(at) + this.buf.readUInt32LE(at + 4) * TWO_32;
  }

  sfixed64(): number {
    const at = this.take(8);
    return signed(this.buf.readUInt32LE(at), this.buf.readUInt32LE(at + 4));
  }

  float(): number {
    return this.buf.readFloatLE(this.take(4));
  }

  double(): number {
    return this.buf.readDoubleLE(this.take(8));
  }

  /** The end of a length-delimited payload whose length is next; `pos` stays at its start. */
  payloadEnd(): number {
    const length = this.uint32();
    if (this.pos + length > this.end) throw new RangeError(`index out of range: ${this.pos} + ${length} > ${this.end}`);
    return this.pos + length;
  }

  string(): string {
    const end = this.payloadEnd();
    const start = this.pos;
    this.pos = end;
    return this.buf.toString('utf8', start, end);
  }

  /** A copy: the decoded config must not keep the whole response buffer alive. */
  bytes(): Buffer {
    const end = this.payloadEnd();
    const start = this.pos;
    this.pos = end;
    return Buffer.from(this.buf.subarray(start, end));
  }

  /** Skips one field's value of wire type `wireType` (groups included, as protobufjs does). */
  skip(wireType: number, depth = 0): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_FIXED64:
        this.take(8);
        return;
      case WIRE_LEN:
        this.pos = this.payloadEnd();
        return;
      case WIRE_FIXED32:
        this.take(4);
        return;
      case WIRE_START_GROUP:
        if (depth > 100) throw new RangeError('maximum nesting depth exceeded');
        for (let tag = this.uint32(); (tag & 7) !== WIRE_END_GROUP; tag = this.uint32()) this.skip(tag & 7, depth + 1);
        return;
      default:
        throw new RangeError(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }
}

/** Two's complement 64-bit (lo, hi) as a Number (LongBits.toNumber(false) in protobufjs). */
function signed(lo: number, hi: number): number {
  if (hi >>> 31 === 0) return lo + hi * TWO_32;
  const nlo = (~lo + 1) >>> 0;
  let nhi = ~hi >>> 0;
  if (nlo === 0) nhi = (nhi + 1) >>> 0;
  return -(nlo + nhi * TWO_32);
}

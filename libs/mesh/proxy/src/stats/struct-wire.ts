/**
 * google.protobuf.Struct on the wire, the subset Istio's peer metadata uses: string values and nested
 * structs (other kinds are skipped when reading). Struct { map<string, Value> fields = 1 }, each entry
 * { key = 1, value = 2 }; Value { string_value = 3, struct_value = 5 }. Written deterministically
 * (keys sorted), as istio/proxy's serializeToStringDeterministic, so equal metadata gives equal bytes.
 */
export type WireStruct = { readonly [key: string]: string | WireStruct };

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function lengthDelimited(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag, ...varint(body.length)]), body]);
}

function encodeValue(v: string | WireStruct): Buffer {
  return typeof v === 'string' ? lengthDelimited(0x1a, Buffer.from(v, 'utf8')) : lengthDelimited(0x2a, encodeStruct(v));
}

export function encodeStruct(s: WireStruct): Buffer {
  const entries = Object.keys(s)
    .sort()
    .map((k) => lengthDelimited(0x0a, Buffer.concat([lengthDelimited(0x0a, Buffer.from(k, 'utf8')), lengthDelimited(0x12, encodeValue(s[k] as string | WireStruct))])));
  return Buffer.concat(entries);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, readonly end = buf.length) {}

  varint(): number {
    let n = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const b = this.buf[this.pos++] as number;
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
    }
    throw new RangeError('varint too long');
  }

  /** The next field: its number, wire type, and for LEN fields the body's bounds. */
  field(): { no: number; type: number; start: number; stop: number } {
    const key = this.varint();
    const type = key & 7;
    const start = this.pos;
    if (type === 2) {
      const len = this.varint();
      const from = this.pos;
      if (from + len > this.end) throw new RangeError('truncated field');
      this.pos = from + len;
      return { no: key >>> 3, type, start: from, stop: this.pos };
    }
    if (type === 0) this.varint();
    else if (type === 1) this.pos += 8;
    else if (type === 5) this.pos += 4;
    else throw new RangeError(`wire type ${type}`);
    if (this.pos > this.end) throw new RangeError('truncated field');
    return { no: key >>> 3, type, start, stop: this.pos };
  }
}

function decodeValue(buf: Buffer, start: number, stop: number): string | WireStruct | undefined {
  const r = new Reader(buf, stop);
  r.pos = start;
  let out: string | WireStruct | undefined;
  while (r.pos < stop) {
    const f = r.field();
    if (f.no === 3 && f.type === 2) out = buf.toString('utf8', f.start, f.stop);
    else if (f.no === 5 && f.type === 2) out = decodeRange(buf, f.start, f.stop);
  }
  return out;
}

function decodeRange(buf: Buffer, start: number, stop: number): WireStruct {
  const out: Record<string, string | WireStruct> = {};
  const r = new Reader(buf, stop);
  r.pos = start;
  while (r.pos < stop) {
    const entry = r.field();
    if (entry.no !== 1 || entry.type !== 2) continue;
    const e = new Reader(buf, entry.stop);
    e.pos = entry.start;
    let key: string | undefined;
    let value: string | WireStruct | undefined;
    while (e.pos < entry.stop) {
      const f = e.field();
      if (f.no === 1 && f.type === 2) key = buf.toString('utf8', f.start, f.stop);
      else if (f.no === 2 && f.type === 2) value = decodeValue(buf, f.start, f.stop);
    }
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

/** Struct bytes → its string and struct fields; throws RangeError on malformed input. */
export function decodeStruct(buf: Buffer): WireStruct {
  return decodeRange(buf, 0, buf.length);
}

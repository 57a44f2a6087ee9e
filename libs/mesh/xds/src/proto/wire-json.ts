import type { WireReader } from './wire-reader';

/**
 * google.protobuf.Struct / ListValue / Value read straight into plain JSON (the contract shape of
 * metadata and typed structs): Struct 1 fields (map entry {1 key, 2 Value}) · ListValue 1 values ·
 * Value 1 null · 2 number · 3 string · 4 bool · 5 struct · 6 list. Non-finite numbers become strings,
 * as protobufjs' JSON conversion writes them.
 */
type Obj = Record<string, unknown>;

/** protobufjs' recursion limit: deeper input is an error, not a stack overflow. */
export const MAX_DEPTH = 100;

/** `__proto__` as a key is data, not the prototype. */
export function setKey(target: Obj, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function jsonNumber(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/** A nested message whose length is next, read by `read` with the reader bounded to it. */
function nested<T>(r: WireReader, depth: number, read: (r: WireReader, end: number, depth: number) => T): T {
  if (depth > MAX_DEPTH) throw new RangeError('maximum nesting depth exceeded');
  const end = r.payloadEnd();
  const outer = r.end;
  r.end = end;
  const value = read(r, end, depth);
  r.end = outer;
  return value;
}

export function readStruct(r: WireReader, end: number, depth: number): Obj {
  const out: Obj = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) nested(r, depth + 1, (e, entryEnd) => structEntry(e, entryEnd, depth + 1, out));
    else r.skip(tag & 7);
  }
  return out;
}

function structEntry(r: WireReader, end: number, depth: number, out: Obj): void {
  let key = '';
  let value: unknown = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) key = r.string();
    else if (tag >>> 3 === 2) value = nested(r, depth + 1, readValue);
    else r.skip(tag & 7);
  }
  setKey(out, key, value);
}

export function readList(r: WireReader, end: number, depth: number): unknown[] {
  const out: unknown[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) out.push(nested(r, depth + 1, readValue));
    else r.skip(tag & 7);
  }
  return out;
}

export function readValue(r: WireReader, end: number, depth: number): unknown {
  let value: unknown = null;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        r.int32();
        value = null;
        break;
      case 2:
        value = jsonNumber(r.double());
        break;
      case 3:
        value = r.string();
        break;
      case 4:
        value = r.bool();
        break;
      case 5:
        value = nested(r, depth + 1, readStruct);
        break;
      case 6:
        value = nested(r, depth + 1, readList);
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return value;
}

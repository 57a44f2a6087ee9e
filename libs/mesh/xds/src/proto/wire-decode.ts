import { TrellisError, errorMessage, isTrellisError } from '@trellis/shared';
import { MAX_DEPTH, jsonNumber, readList, readStruct, readValue, setKey } from './wire-json';
import { WIRE_LEN, WireReader } from './wire-reader';
import { FLAG_MAP, FLAG_ONEOF, FLAG_REPEATED, wireSchema, type FieldKind, type WireSchema } from './wire-schema';

/**
 * Decodes protobuf bytes straight into the contract shape (docs/xds-resources.md) by walking the
 * wire schema: the same objects the protobufjs path (codec.ts: decode, toObject with
 * `{enums: String, longs: Number, json: true}`, then wire-shape.ts fromWire) produces, including its
 * special cases: Struct/Value/ListValue as plain JSON, Any expanded to `{'@type', ...}` when its type
 * is known, wrappers always carrying `value`, singular enums defaulting to their zero name,
 * non-finite floats as strings. A test holds the two paths equal over every Envoy message type.
 */
type Obj = Record<string, unknown>;

interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated: boolean;
  readonly map: boolean;
  readonly ref: string;
  readonly keyKind: FieldKind | undefined;
}

type Special = 'struct' | 'value' | 'list' | 'any' | 'wrapper' | undefined;

interface Message {
  readonly fields: ReadonlyMap<number, Field>;
  /** Singular enums outside oneofs: their zero value's name is filled in when absent. */
  readonly enumDefaults: readonly (readonly [string, string])[];
  readonly special: Special;
}

const ANY_TYPE_URL = 1;
const ANY_VALUE = 2;
const SPECIAL: Readonly<Record<string, Special>> = {
  'google.protobuf.Struct': 'struct',
  'google.protobuf.Value': 'value',
  'google.protobuf.ListValue': 'list',
  'google.protobuf.Any': 'any',
  ...Object.fromEntries(['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((n) => [`google.protobuf.${n}Value`, 'wrapper'])),
};
const NOT_PACKABLE = new Set<FieldKind>(['string', 'bytes', 'message']);

export class WireDecoder {
  private readonly compiled = new Map<string, Message>();

  constructor(private readonly schema: WireSchema) {}

  has(fullName: string): boolean {
    return this.schema.messages[fullName] !== undefined;
  }

  /** Decodes `bytes` as message `fullName`; throws RangeError on malformed input. */
  decode(fullName: string, bytes: Buffer): Obj {
    const reader = new WireReader(bytes);
    return this.fieldsInto({}, reader, reader.end, this.message(fullName), 0);
  }

  private message(fullName: string): Message {
    let message = this.compiled.get(fullName);
    if (message === undefined) {
      message = this.compile(fullName);
      this.compiled.set(fullName, message);
    }
    return message;
  }

  private compile(fullName: string): Message {
    const specs = this.schema.messages[fullName];
    if (specs === undefined) throw new TrellisError('XDS_UNKNOWN_TYPE', 'Unknown protobuf message type', { type: fullName });
    const fields = new Map<number, Field>();
    const enumDefaults: [string, string][] = [];
    for (const [id, name, kind, flags, ref, keyKind] of specs) {
      fields.set(id, { name, kind, repeated: (flags & FLAG_REPEATED) !== 0, map: (flags & FLAG_MAP) !== 0, ref, keyKind });
      const zero = kind === 'enum' && (flags & (FLAG_REPEATED | FLAG_MAP | FLAG_ONEOF)) === 0 ? this.schema.enums[ref]?.['0'] : undefined;
      if (zero !== undefined) enumDefaults.push([name, zero]);
    }
    return { fields, enumDefaults, special: SPECIAL[fullName] };
  }

  /** A nested message whose length is next; the reader is bounded to it while it is read. */
  private nested(r: WireReader, ref: string, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new RangeError('maximum nesting depth exceeded');
    const end = r.payloadEnd();
    const outer = r.end;
    r.end = end;
    const message = this.message(ref);
    const value = message.special === undefined || message.special === 'wrapper' ? this.fieldsInto({}, r, end, message, depth) : this.special(r, end, message.special, depth);
    r.end = outer;
    return value;
  }

  private fieldsInto(out: Obj, r: WireReader, end: number, message: Message, depth: number): Obj {
    while (r.pos < end) {
      const tag = r.uint32();
      const field = message.fields.get(tag >>> 3);
      if (field === undefined) r.skip(tag & 7);
      else if (field.map) this.mapEntry(out, r, field, depth);
      else if (field.repeated) this.repeated(out, r, field, tag & 7, depth);
      else out[field.name] = this.value(r, field.kind, field.ref, depth);
    }
    for (const [name, zero] of message.enumDefaults) if (out[name] === undefined) out[name] = zero;
    if (message.special === 'wrapper' && out['value'] === undefined) out['value'] = wrapperZero(message.fields.get(1)?.kind);
    return out;
  }

  private repeated(out: Obj, r: WireReader, field: Field, wireType: number, depth: number): void {
    const list = (out[field.name] ??= []) as unknown[];
    if (wireType !== WIRE_LEN || NOT_PACKABLE.has(field.kind)) {
      list.push(this.value(r, field.kind, field.ref, depth));
      return;
    }
    const end = r.payloadEnd();
    while (r.pos < end) list.push(this.value(r, field.kind, field.ref, depth));
    if (r.pos !== end) throw new RangeError('packed field overruns its length');
  }

  private mapEntry(out: Obj, r: WireReader, field: Field, depth: number): void {
    const map = (out[field.name] ??= {}) as Obj;
    const end = r.payloadEnd();
    let key: unknown = field.keyKind === 'string' ? '' : field.keyKind === 'bool' ? false : 0;
    let value: unknown;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) key = this.value(r, field.keyKind ?? 'string', '', depth);
      else if (tag >>> 3 === 2) value = this.value(r, field.kind, field.ref, depth);
      else r.skip(tag & 7);
    }
    if (r.pos !== end) throw new RangeError('map entry overruns its length');
    setKey(map, String(key), value ?? this.mapValueZero(field));
  }

  private mapValueZero(field: Field): unknown {
    if (field.kind === 'message') return this.fieldsInto({}, new WireReader(Buffer.alloc(0)), 0, this.message(field.ref), 0);
    if (field.kind === 'enum') return this.schema.enums[field.ref]?.['0'] ?? 0;
    return wrapperZero(field.kind);
  }

  private value(r: WireReader, kind: FieldKind, ref: string, depth: number): unknown {
    switch (kind) {
      case 'message':
        return this.nested(r, ref, depth + 1);
      case 'enum': {
        const n = r.int32();
        return this.schema.enums[ref]?.[n] ?? n;
      }
      case 'double':
        return jsonNumber(r.double());
      case 'float':
        return jsonNumber(r.float());
      default:
        return r[kind]();
    }
  }

  private special(r: WireReader, end: number, special: Special, depth: number): unknown {
    switch (special) {
      case 'struct':
        return readStruct(r, end, depth);
      case 'list':
        return readList(r, end, depth);
      case 'value':
        return readValue(r, end, depth);
      default:
        return this.any(r, end, depth);
    }
  }

  /** google.protobuf.Any: expanded to `{'@type', ...}` when the type is known, else `{type_url, value}`. */
  private any(r: WireReader, end: number, depth: number): Obj {
    let typeUrl: string | undefined;
    let valueStart = -1;
    let valueEnd = -1;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag >>> 3 === ANY_TYPE_URL) typeUrl = r.string();
      else if (tag >>> 3 === ANY_VALUE) {
        valueEnd = r.payloadEnd();
        valueStart = r.pos;
        r.pos = valueEnd;
      } else r.skip(tag & 7);
    }
    const name = typeUrl?.slice(typeUrl.lastIndexOf('/') + 1) ?? '';
    if (typeUrl === undefined || typeUrl === '' || !this.has(name)) {
      const raw: Obj = {};
      if (typeUrl !== undefined) raw['type_url'] = typeUrl;
      if (valueStart >= 0) raw['value'] = Buffer.from(r.buf.subarray(valueStart, valueEnd));
      return raw;
    }
    const inner = new WireReader(r.buf, Math.max(valueStart, 0), Math.max(valueEnd, 0));
    const message = this.message(name);
    if (message.special === undefined || message.special === 'wrapper') return this.fieldsInto({ '@type': typeUrl }, inner, inner.end, message, depth + 1);
    return { '@type': typeUrl, ...(this.special(inner, inner.end, message.special, depth + 1) as Obj) };
  }
}

function wrapperZero(kind: FieldKind | undefined): unknown {
  return kind === 'bool' ? false : kind === 'string' || kind === 'bytes' ? '' : 0;
}

/** The one form of a decoding failure, whichever decoder met it: typed errors pass through. */
export function decodeFailed(type: string, err: unknown): TrellisError {
  if (isTrellisError(err)) return err;
  return new TrellisError('XDS_DECODE_FAILED', 'Cannot decode message', { type, reason: errorMessage(err) }, { cause: err });
}

let shared: WireDecoder | undefined;

/** Decodes an Any's value into the contract shape (without an outer `@type`), with typed errors. */
export function decodeAnyValue(typeUrl: string, bytes: Buffer): Obj {
  shared ??= new WireDecoder(wireSchema());
  const type = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  if (!shared.has(type)) throw new TrellisError('XDS_UNKNOWN_TYPE', 'Unknown protobuf message type', { type });
  try {
    return shared.decode(type, bytes);
  } catch (err) {
    throw decodeFailed(type, err);
  }
}

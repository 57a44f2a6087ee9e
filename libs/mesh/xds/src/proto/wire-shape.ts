import { TrellisError } from '@trellis/shared';
import { protobuf, typeOfUrl } from './root';
import { isPlainObject, jsonToList, jsonToStruct, jsonToValue, listToJson, structToJson, valueToJson } from './json-struct';
import { parseDuration } from './duration';

/**
 * Converts between the contract shape (docs/xds-resources.md) and what protobufjs'
 * fromObject/toObject speak, walking the message by reflection:
 * - Struct/Value/ListValue ↔ plain JSON; Duration strings ("5s") accepted on the way in;
 * - unknown field names and unknown Any @types are errors (protobufjs would silently drop them);
 * - on the way out, wrapper messages always carry `value` and singular enums their default name.
 */
type Obj = Record<string, unknown>;

const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((n) => `.google.protobuf.${n}Value`),
);

/** protobufjs computes `fullName` by walking the parents on every read; toWire reads it per object. */
const fullNames = new WeakMap<protobuf.Type, string>();

function fullNameOf(type: protobuf.Type): string {
  let name = fullNames.get(type);
  if (name === undefined) {
    name = type.fullName;
    fullNames.set(type, name);
  }
  return name;
}

function messageTypeOf(field: protobuf.Field): protobuf.Type | undefined {
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
}

function mapField(field: protobuf.Field, value: unknown, path: string, fn: (t: protobuf.Type, v: unknown, p: string) => unknown): unknown {
  const type = messageTypeOf(field);
  if (type === undefined) return value;
  if (field.map && isPlainObject(value)) {
    const out: Obj = {};
    for (const [key, v] of Object.entries(value)) out[key] = fn(type, v, `${path}.${key}`);
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new TrellisError('XDS_BAD_FIELD', 'Repeated field must be an array', { path });
    return value.map((v, i) => fn(type, v, `${path}[${i}]`));
  }
  return fn(type, value, path);
}

function anyToWire(value: unknown, path: string): unknown {
  if (isPlainObject(value) && typeof value['@type'] === 'string') {
    const { '@type': typeUrl, ...rest } = value;
    return { '@type': typeUrl, ...(toWire(typeOfUrl(typeUrl), rest, path) as Obj) };
  }
  if (isPlainObject(value) && typeof value['type_url'] === 'string') return value;
  throw new TrellisError('XDS_BAD_ANY', 'Any must carry an @type', { path });
}

/** Contract shape → protobufjs fromObject input for `type`. */
export function toWire(type: protobuf.Type, value: unknown, path: string): unknown {
  switch (fullNameOf(type)) {
    case '.google.protobuf.Struct':
      return jsonToStruct(value);
    case '.google.protobuf.Value':
      return jsonToValue(value);
    case '.google.protobuf.ListValue':
      return Array.isArray(value) ? jsonToList(value) : value;
    case '.google.protobuf.Any':
      return anyToWire(value, path);
    case '.google.protobuf.Duration':
      if (typeof value === 'string') return parseDuration(value);
  }
  if (!isPlainObject(value)) {
    throw new TrellisError('XDS_BAD_FIELD', 'Expected an object', { path, type: type.fullName.slice(1) });
  }
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key];
    if (field === undefined) {
      throw new TrellisError('XDS_UNKNOWN_FIELD', 'Unknown field', { path: `${path}.${key}`, type: type.fullName.slice(1) });
    }
    if (v === undefined || v === null) continue;
    out[key] = mapField(field, v, `${path}.${key}`, toWire);
  }
  return out;
}

function anyFromWire(value: unknown, path: string): unknown {
  if (!isPlainObject(value) || typeof value['@type'] !== 'string') return value; // unknown type: raw Any
  const { '@type': typeUrl, ...rest } = value;
  return { '@type': typeUrl, ...(fromWire(typeOfUrl(typeUrl), rest, path) as Obj) };
}

function wrapperFromWire(type: protobuf.Type, value: Obj): Obj {
  if (value['value'] !== undefined) return value;
  const scalar = type.fields['value']?.type;
  return { value: scalar === 'bool' ? false : scalar === 'string' || scalar === 'bytes' ? '' : 0 };
}

function enumDefault(field: protobuf.Field): string | undefined {
  if (!(field.resolvedType instanceof protobuf.Enum) || field.repeated || field.map || field.partOf) return undefined;
  return field.resolvedType.valuesById[0];
}

/** protobufjs toObject output for `type` → contract shape. */
export function fromWire(type: protobuf.Type, value: unknown, path: string): unknown {
  switch (fullNameOf(type)) {
    case '.google.protobuf.Struct':
      return structToJson(value);
    case '.google.protobuf.Value':
      return valueToJson(value);
    case '.google.protobuf.ListValue':
      return listToJson(value);
    case '.google.protobuf.Any':
      return anyFromWire(value, path);
  }
  if (!isPlainObject(value)) return value;
  if (WRAPPERS.has(fullNameOf(type))) return wrapperFromWire(type, value);
  const out: Obj = { ...value };
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) {
      const def = enumDefault(field);
      if (def !== undefined) out[field.name] = def;
      continue;
    }
    out[field.name] = mapField(field, v, `${path}.${field.name}`, fromWire);
  }
  return out;
}

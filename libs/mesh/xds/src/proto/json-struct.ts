import { TrellisError } from '@trellis/shared';
import { messageType } from './root';

/**
 * google.protobuf.Struct / Value / ListValue ↔ plain JSON. protobufjs has no JSON mapping for
 * Struct, so metadata (`filter_metadata.istio{...}`, node metadata) is converted here.
 */
type Obj = Record<string, unknown>;

type Kind = 'null_value' | 'number_value' | 'string_value' | 'bool_value' | 'struct_value' | 'list_value';

/**
 * protobufjs defines Value from its bundled JSON descriptor (camelCase names: `stringValue`),
 * while files parsed with keepCase use snake_case: read the real names from the loaded type.
 */
let kindNames: Readonly<Record<Kind, string>> | undefined;
function k(kind: Kind): string {
  if (kindNames === undefined) {
    const fields = messageType('google.protobuf.Value').fields;
    const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const pick = (s: Kind): string => (fields[s] !== undefined ? s : camel(s));
    kindNames = {
      null_value: pick('null_value'),
      number_value: pick('number_value'),
      string_value: pick('string_value'),
      bool_value: pick('bool_value'),
      struct_value: pick('struct_value'),
      list_value: pick('list_value'),
    };
  }
  return kindNames[kind];
}

export function isPlainObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

export function jsonToValue(value: unknown): Obj {
  if (value === null || value === undefined) return { [k('null_value')]: 'NULL_VALUE' };
  if (typeof value === 'number') return { [k('number_value')]: value };
  if (typeof value === 'string') return { [k('string_value')]: value };
  if (typeof value === 'boolean') return { [k('bool_value')]: value };
  if (Array.isArray(value)) return { [k('list_value')]: jsonToList(value) };
  if (isPlainObject(value)) return { [k('struct_value')]: jsonToStruct(value) };
  throw new TrellisError('XDS_BAD_STRUCT', 'Value cannot be stored in a protobuf Struct', { kind: typeof value });
}

export function jsonToList(values: readonly unknown[]): Obj {
  return { values: values.map(jsonToValue) };
}

export function jsonToStruct(value: unknown): Obj {
  if (!isPlainObject(value)) {
    throw new TrellisError('XDS_BAD_STRUCT', 'Struct must be a JSON object', { kind: typeof value });
  }
  const fields: Obj = {};
  for (const [key, v] of Object.entries(value)) fields[key] = jsonToValue(v);
  return { fields };
}

export function valueToJson(value: unknown): unknown {
  if (!isPlainObject(value)) return null;
  if (k('string_value') in value) return value[k('string_value')];
  if (k('number_value') in value) return value[k('number_value')];
  if (k('bool_value') in value) return value[k('bool_value')];
  if (k('list_value') in value) return listToJson(value[k('list_value')]);
  if (k('struct_value') in value) return structToJson(value[k('struct_value')]);
  return null;
}

export function listToJson(list: unknown): unknown[] {
  const values = isPlainObject(list) && Array.isArray(list['values']) ? list['values'] : [];
  return values.map(valueToJson);
}

export function structToJson(struct: unknown): Obj {
  const out: Obj = {};
  const fields = isPlainObject(struct) && isPlainObject(struct['fields']) ? struct['fields'] : {};
  for (const [key, v] of Object.entries(fields)) out[key] = valueToJson(v);
  return out;
}

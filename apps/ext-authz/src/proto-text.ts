/**
 * A decoded protobuf message (proto-loader's plain object, `defaults: false`) in protobuf text format,
 * as Go's `request.GetAttributes().String()` prints it in the `x-ext-authz-check-received` header:
 * `request:{http:{method:"GET" headers:{key:":path" value:"/"} …}}`. Go randomises the spacing of
 * that format on purpose, so nothing parses it; this keeps its shape.
 */

/** map<…> fields of AttributeContext and what it nests (Metadata, Struct): printed as key/value entries. */
const MAP_FIELDS: ReadonlySet<string> = new Set(['headers', 'context_extensions', 'filter_metadata', 'typed_filter_metadata', 'fields']);

function quote(text: string): string {
  return JSON.stringify(text);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Buffer.isBuffer(value)) return quote(value.toString('latin1'));
  return String(value);
}

function field(name: string, value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => field(name, v));
  if (value === null || value === undefined) return [];
  if (MAP_FIELDS.has(name) && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.entries(value).map(([k, v]) => `${name}:{key:${quote(k)} value:${typeof v === 'object' && v !== null && !Buffer.isBuffer(v) ? `{${protoText(v)}}` : scalar(v)}}`);
  }
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return [`${name}:{${protoText(value)}}`];
  return [`${name}:${scalar(value)}`];
}

export function protoText(message: object): string {
  return Object.entries(message).flatMap(([name, value]) => field(name, value)).join(' ');
}

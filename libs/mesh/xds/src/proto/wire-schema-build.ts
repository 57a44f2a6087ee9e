import { envoyRoot, protobuf } from './root';
import { FLAG_MAP, FLAG_ONEOF, FLAG_REPEATED, type FieldKind, type FieldSpec, type WireSchema } from './wire-schema';

/** Derives the decoder's schema (wire-schema.ts) from a loaded protobufjs root. */

const strip = (fullName: string): string => (fullName.startsWith('.') ? fullName.slice(1) : fullName);

function fieldSpec(field: protobuf.Field): FieldSpec {
  const resolved = field.resolvedType;
  const kind: FieldKind = resolved instanceof protobuf.Type ? 'message' : resolved instanceof protobuf.Enum ? 'enum' : (field.type as FieldKind);
  const flags = (field.repeated ? FLAG_REPEATED : 0) | (field.map ? FLAG_MAP : 0) | (field.partOf ? FLAG_ONEOF : 0);
  const ref = resolved ? strip(resolved.fullName) : '';
  return field instanceof protobuf.MapField ? [field.id, field.name, kind, flags, ref, field.keyType as FieldKind] : [field.id, field.name, kind, flags, ref];
}

function enumValues(e: protobuf.Enum): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, name] of Object.entries(e.valuesById)) out[id] = name;
  return out;
}

function collect(ns: protobuf.NamespaceBase, schema: { messages: Record<string, FieldSpec[]>; enums: Record<string, Record<string, string>> }): void {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) schema.messages[strip(nested.fullName)] = nested.fieldsArray.map(fieldSpec).sort((a, b) => a[0] - b[0]);
    else if (nested instanceof protobuf.Enum) schema.enums[strip(nested.fullName)] = enumValues(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) collect(nested, schema);
  }
}

export function wireSchemaOf(root: protobuf.Root): WireSchema {
  root.resolveAll();
  const schema = { messages: {}, enums: {} };
  collect(root, schema);
  return schema;
}

/** The schema of the Envoy root every component loads (root.ts). */
export function envoyWireSchema(): WireSchema {
  return wireSchemaOf(envoyRoot());
}

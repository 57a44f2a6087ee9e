import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The Envoy protos reduced to what a decoder needs: per message, its fields by number with name,
 * type and cardinality; per enum, its value names. The proxy decodes xDS with this (wire-decode.ts)
 * instead of protobufjs reflection, whose object graph for the same ~600 types costs ~5 MB of heap.
 * It is derived from the same protobufjs root the control plane encodes with (wire-schema-build.ts)
 * and shipped next to the bundle (`envoy-wire-schema.json`), so the two can never disagree.
 */

/** Scalar kinds as protobuf names them; `message` and `enum` carry a type reference. */
export type FieldKind =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool' | 'string'
  | 'bytes' | 'uint32' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64' | 'message' | 'enum';

export const FLAG_REPEATED = 1;
export const FLAG_MAP = 2;
/** Member of a oneof (including proto3 `optional`): no default is filled in when absent. */
export const FLAG_ONEOF = 4;

/** [number, name, kind, flags, reference (message/enum full name, or ''), map key kind (maps only)]. */
export type FieldSpec = readonly [number, string, FieldKind, number, string, FieldKind?];

export interface WireSchema {
  /** Message full name (no leading dot) → its fields. */
  readonly messages: Readonly<Record<string, readonly FieldSpec[]>>;
  /** Enum full name → value number → value name (the first name, for aliases). */
  readonly enums: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** File name of the prebuilt schema, looked up next to the running bundle. */
export const ENVOY_WIRE_SCHEMA_FILE = 'envoy-wire-schema.json';

let cached: WireSchema | undefined;

/**
 * The schema: the prebuilt file next to the bundle, or (source checkouts, tests) derived from the
 * parsed protos. The fallback is required lazily so a bundle that ships the file never loads protobufjs.
 */
export function wireSchema(): WireSchema {
  if (cached === undefined) {
    const prebuilt = path.join(__dirname, ENVOY_WIRE_SCHEMA_FILE);
    cached = existsSync(prebuilt) ? (JSON.parse(readFileSync(prebuilt, 'utf8')) as WireSchema) : (require('./wire-schema-build') as typeof import('./wire-schema-build')).envoyWireSchema();
  }
  return cached;
}

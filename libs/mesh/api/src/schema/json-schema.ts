/**
 * The subset of OpenAPI v3 / JSON Schema that is valid both for ajv and as a Kubernetes CRD
 * structural schema (no `$ref`, no `additionalProperties: false`, every node typed).
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: (string | number)[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

type Extra = Omit<JsonSchema, 'type'>;

export const str = (extra: Extra = {}): JsonSchema => ({ type: 'string', ...extra });
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const int32 = (extra: Extra = {}): JsonSchema => ({ type: 'integer', format: 'int32', ...extra });
export const uint32 = (extra: Extra = {}): JsonSchema => ({ type: 'integer', format: 'int32', minimum: 0, ...extra });
export const double = (extra: Extra = {}): JsonSchema => ({ type: 'number', format: 'double', ...extra });
/** Istio duration strings: `7s`, `0.5s`, `100ms`, `1m`, `1h`, `1h30m`. */
export const duration = (description?: string): JsonSchema =>
  description === undefined ? { type: 'string', format: 'duration' } : { type: 'string', format: 'duration', description };
export const arr = (items: JsonSchema, extra: Extra = {}): JsonSchema => ({ type: 'array', items, ...extra });
export const strings = (extra: Extra = {}): JsonSchema => arr(str(), extra);
export const enumOf = (values: readonly string[], description?: string): JsonSchema =>
  description === undefined ? { type: 'string', enum: [...values] } : { type: 'string', enum: [...values], description };
/** A map with string keys (`labels`, `headers`…). */
export const mapOf = (values: JsonSchema, description?: string): JsonSchema =>
  description === undefined
    ? { type: 'object', additionalProperties: values }
    : { type: 'object', additionalProperties: values, description };
export const labels = (description?: string): JsonSchema => mapOf(str(), description);
/** Free-form object: kept as is by the API server and by validation. */
export const anyObject = (description?: string): JsonSchema =>
  description === undefined
    ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description };

export function obj(properties: Record<string, JsonSchema>, required: string[] = [], description?: string): JsonSchema {
  const schema: JsonSchema = { type: 'object', properties };
  if (description !== undefined) schema.description = description;
  if (required.length > 0) schema.required = required;
  return schema;
}

/**
 * The validation flavour of a schema: every object with declared properties rejects unknown
 * fields (CRDs prune them instead, and `additionalProperties: false` is not allowed there).
 */
export function strictSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, strictSchema(v)]));
    if (schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
      out.additionalProperties = false;
    }
  }
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = strictSchema(schema.additionalProperties);
  if (schema.items !== undefined) out.items = strictSchema(schema.items);
  return out;
}

/**
 * A small description of the Envoy messages an EnvoyFilter patch may carry (the ones Trellis applies),
 * enough to check a patch value field by field before anything is pushed, and to bring it to the
 * shape the xDS encoder takes: snake_case keys (proto JSON also allows lowerCamelCase), wrapper
 * messages as `{ value }`.
 */
export type Shape =
  | { readonly kind: 'string' | 'number' | 'bool' | 'duration' | 'empty' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'wrapper'; readonly of: 'number' | 'bool' }
  | { readonly kind: 'message'; readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[] }
  | { readonly kind: 'list'; readonly of: Shape }
  | { readonly kind: 'map'; readonly of: Shape }
  /** A google.protobuf.Any: `@type` picks the message; TypedStruct wraps one in `type_url` + `value`. */
  | { readonly kind: 'any'; readonly types: Readonly<Record<string, Shape>> };

export const S = {
  string: { kind: 'string' } as Shape,
  number: { kind: 'number' } as Shape,
  bool: { kind: 'bool' } as Shape,
  duration: { kind: 'duration' } as Shape,
  empty: { kind: 'empty' } as Shape,
  uint32Value: { kind: 'wrapper', of: 'number' } as Shape,
  boolValue: { kind: 'wrapper', of: 'bool' } as Shape,
  enumOf: (...values: string[]): Shape => ({ kind: 'enum', values }),
  message: (fields: Record<string, Shape>, required: string[] = []): Shape => ({ kind: 'message', fields, required }),
  list: (of: Shape): Shape => ({ kind: 'list', of }),
  map: (of: Shape): Shape => ({ kind: 'map', of }),
  any: (types: Record<string, Shape>): Shape => ({ kind: 'any', types }),
};

/** `filterEnabled` → `filter_enabled` (proto JSON's lowerCamelCase back to the field name). */
export function snakeCase(key: string): string {
  return key.startsWith('@') ? key : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

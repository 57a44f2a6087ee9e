import type { FieldProblem } from '../validation/ajv-errors';
import { TYPED_STRUCT_URLS } from './messages';
import { snakeCase, type Shape } from './shape';

/**
 * Checks an EnvoyFilter patch value against the message it must be and returns it in the shape the
 * xDS encoder takes (snake_case keys, wrappers as `{ value }`, numeric strings as numbers). Inside a
 * TypedStruct (a google.protobuf.Struct Envoy parses as proto JSON) only the keys are normalised:
 * scalars stay as written. Every problem names the field's path.
 */
export interface NormalizedValue {
  readonly value: unknown;
  readonly problems: readonly FieldProblem[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const DURATION = /^\d+(\.\d{1,9})?s$/;

interface Walk {
  readonly problems: FieldProblem[];
  /** false inside a TypedStruct: wrappers stay plain JSON scalars. */
  readonly wrap: boolean;
}

function problem(w: Walk, path: string, message: string): undefined {
  w.problems.push({ path, message });
  return undefined;
}

function scalar(shape: Shape, v: unknown, path: string, w: Walk): unknown {
  switch (shape.kind) {
    case 'string':
      return typeof v === 'string' ? v : problem(w, path, 'must be a string');
    case 'bool':
      return typeof v === 'boolean' ? v : problem(w, path, 'must be a boolean');
    case 'number': {
      const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
      return typeof n === 'number' && Number.isFinite(n) ? n : problem(w, path, 'must be a number');
    }
    case 'duration':
      return typeof v === 'string' && DURATION.test(v) ? v : problem(w, path, `must be a duration in seconds like "10s" or "0.5s" (got ${JSON.stringify(v)})`);
    case 'enum':
      return typeof v === 'string' && shape.values.includes(v) ? v : problem(w, path, `must be one of ${shape.values.join(', ')} (got ${JSON.stringify(v)})`);
    default:
      return problem(w, path, 'unexpected value');
  }
}

function wrapper(of: 'number' | 'bool', v: unknown, path: string, w: Walk): unknown {
  const raw = isObj(v) && 'value' in v ? v['value'] : v;
  const ok = of === 'bool' ? typeof raw === 'boolean' : typeof raw === 'number' && Number.isFinite(raw);
  if (!ok) return problem(w, path, `must be a ${of === 'bool' ? 'boolean' : 'number'}`);
  return w.wrap ? { value: raw } : raw;
}

function message(shape: Extract<Shape, { kind: 'message' }>, v: unknown, path: string, w: Walk): unknown {
  if (!isObj(v)) return problem(w, path, 'must be an object');
  const out: Obj = {};
  for (const [rawKey, field] of Object.entries(v)) {
    const key = snakeCase(rawKey);
    const fieldShape = shape.fields[key];
    const at = path === '' ? key : `${path}.${key}`;
    if (fieldShape === undefined) {
      const known = Object.keys(shape.fields);
      problem(w, at, `unknown or unsupported field (Trellis applies ${known.length === 0 ? 'no fields here' : known.join(', ')})`);
      continue;
    }
    if (field === null || field === undefined) continue;
    const value = walk(fieldShape, field, at, w);
    if (value !== undefined) out[key] = value;
  }
  for (const key of shape.required ?? []) if (out[key] === undefined && v[key] === undefined) problem(w, path === '' ? key : `${path}.${key}`, 'required field is missing');
  return out;
}

function anyValue(shape: Extract<Shape, { kind: 'any' }>, v: unknown, path: string, w: Walk): unknown {
  const supported = Object.keys(shape.types).join(', ');
  if (!isObj(v) || typeof v['@type'] !== 'string') return problem(w, path, `must carry an @type (supported: ${supported})`);
  const type = v['@type'];
  if (TYPED_STRUCT_URLS.includes(type)) {
    const url = v['type_url'] ?? v['typeUrl'];
    const inner = typeof url === 'string' ? shape.types[url] : undefined;
    if (inner === undefined) return problem(w, `${path}.type_url`, `TypedStruct type_url ${JSON.stringify(url)} is not supported (supported: ${supported})`);
    const value = walk(inner, v['value'] ?? {}, `${path}.value`, { problems: w.problems, wrap: false });
    return { '@type': type, type_url: url, value };
  }
  const own = shape.types[type];
  if (own === undefined) return problem(w, `${path}.@type`, `${type} is not supported (supported: ${supported}, or a TypedStruct of one)`);
  const { '@type': _type, ...rest } = v;
  return { '@type': type, ...(walk(own, rest, path, w) as Obj | undefined) };
}

function walk(shape: Shape, v: unknown, path: string, w: Walk): unknown {
  switch (shape.kind) {
    case 'message':
      return message(shape, v, path, w);
    case 'list':
      if (!Array.isArray(v)) return problem(w, path, 'must be a list');
      return v.map((item, i) => walk(shape.of, item, `${path}[${i}]`, w));
    case 'map':
      if (!isObj(v)) return problem(w, path, 'must be an object');
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(shape.of, item, `${path}.${k}`, w)]));
    case 'any':
      return anyValue(shape, v, path, w);
    case 'wrapper':
      return wrapper(shape.of, v, path, w);
    case 'empty':
      return isObj(v) && Object.keys(v).length === 0 ? {} : problem(w, path, 'must be an empty object {}');
    default:
      return scalar(shape, v, path, w);
  }
}

export function normalizeValue(shape: Shape, value: unknown, path: string): NormalizedValue {
  const problems: FieldProblem[] = [];
  const out = walk(shape, value, path, { problems, wrap: true });
  return { value: out, problems };
}

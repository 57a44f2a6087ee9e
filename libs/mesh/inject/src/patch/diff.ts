import { appendPointer } from './pointer';
import type { JsonPatchOp, JsonValue } from './types';

type JsonObject = { [key: string]: JsonValue };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality over JSON values; object key order is irrelevant, `undefined` members count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = (o: JsonObject): string[] => Object.keys(o).filter((k) => o[k] !== undefined);
  const ka = keys(a);
  return ka.length === keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
}

/** Plain JSON copy (drops `undefined` members) so patch values are wire-exact. */
function json(v: unknown): JsonValue {
  return JSON.parse(JSON.stringify(v)) as JsonValue;
}

function diffObject(a: JsonObject, b: JsonObject, path: string, ops: JsonPatchOp[]): void {
  for (const key of Object.keys(a)) {
    if (a[key] !== undefined && b[key] === undefined) ops.push({ op: 'remove', path: appendPointer(path, key) });
  }
  for (const key of Object.keys(b)) {
    if (b[key] === undefined) continue;
    const at = appendPointer(path, key);
    if (a[key] === undefined) ops.push({ op: 'add', path: at, value: json(b[key]) });
    else diffValue(a[key], b[key], at, ops);
  }
}

/**
 * Arrays: skip the common prefix and suffix; an equal-length middle is diffed element by element
 * (so a replaced sidecar patches in place), otherwise the old middle is removed from the end and
 * the new middle added in order (indexes stay valid while applying sequentially).
 */
function diffArray(a: JsonValue[], b: JsonValue[], path: string, ops: JsonPatchOp[]): void {
  let start = 0;
  while (start < a.length && start < b.length && jsonEqual(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && jsonEqual(a[endA - 1], b[endB - 1])) { endA--; endB--; }
  if (endA - start === endB - start) {
    for (let i = start; i < endA; i++) diffValue(a[i] ?? null, b[i] ?? null, appendPointer(path, i), ops);
    return;
  }
  for (let i = endA - 1; i >= start; i--) ops.push({ op: 'remove', path: appendPointer(path, i) });
  for (let i = start; i < endB; i++) ops.push({ op: 'add', path: appendPointer(path, i), value: json(b[i]) });
}

function diffValue(a: JsonValue, b: JsonValue, path: string, ops: JsonPatchOp[]): void {
  if (jsonEqual(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) diffArray(a, b, path, ops);
  else if (isObject(a) && isObject(b)) diffObject(a, b, path, ops);
  else ops.push({ op: 'replace', path, value: json(b) });
}

/**
 * RFC 6902 patch turning `original` into `mutated`, computed by diff. Missing maps are added as whole
 * objects (so `/metadata/annotations` is added before any key under it could be), keys are
 * JSON-pointer escaped. Applying the result to `original` yields exactly `mutated` (as JSON).
 */
export function createPatch(original: unknown, mutated: unknown): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  diffValue(json(original), json(mutated), '', ops);
  return ops;
}

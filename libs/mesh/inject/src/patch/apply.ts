import { InjectErrorCode, injectError } from '../errors';
import { jsonEqual } from './diff';
import { parsePointer } from './pointer';
import type { JsonPatchOp, JsonValue } from './types';

type Container = JsonValue[] | { [key: string]: JsonValue };

function fail(op: JsonPatchOp, reason: string): never {
  throw injectError(InjectErrorCode.patchFailed, 'JSON patch operation cannot be applied', { op: op.op, path: op.path, reason });
}

function parentOf(doc: JsonValue, tokens: string[], op: JsonPatchOp): Container {
  let node: JsonValue | undefined = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (node && typeof node === 'object') node = node[token];
    else node = undefined;
  }
  if (!node || typeof node !== 'object') fail(op, 'parent does not exist');
  return node;
}

function arrayIndex(arr: JsonValue[], token: string, op: JsonPatchOp, insert: boolean): number {
  if (insert && token === '-') return arr.length;
  const i = /^\d+$/.test(token) ? Number(token) : -1;
  if (i < 0 || i > arr.length || (!insert && i === arr.length)) fail(op, 'array index out of range');
  return i;
}

function applyOne(doc: JsonValue, op: JsonPatchOp): JsonValue {
  const tokens = parsePointer(op.path);
  if (tokens.length === 0) {
    if (op.op === 'remove') return null;
    if (op.op === 'test') return jsonEqual(doc, op.value) ? doc : fail(op, 'test failed');
    return structuredClone(op.value);
  }
  const parent = parentOf(doc, tokens, op);
  const key = tokens.at(-1) ?? '';
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, key, op, op.op === 'add');
    if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
    else if (op.op === 'remove') parent.splice(i, 1);
    else if (op.op === 'replace') parent[i] = structuredClone(op.value);
    else if (!jsonEqual(parent[i], op.value)) fail(op, 'test failed');
    return doc;
  }
  if (op.op !== 'add' && !(key in parent)) fail(op, 'member does not exist');
  if (op.op === 'remove') delete parent[key];
  else if (op.op === 'test') { if (!jsonEqual(parent[key], op.value)) fail(op, 'test failed'); }
  else parent[key] = structuredClone(op.value);
  return doc;
}

/** Applies an RFC 6902 patch (add/remove/replace/test) to a copy of `doc`; throws `PATCH_FAILED`. */
export function applyPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  let out = JSON.parse(JSON.stringify(doc)) as JsonValue;
  for (const op of ops) out = applyOne(out, op);
  return out as T;
}

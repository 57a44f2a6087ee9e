import type { ErrorObject } from 'ajv';
import { joinPath, pointerToPath } from './field-path';

export interface FieldProblem {
  path: string;
  message: string;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function problemOf(e: ErrorObject, root: unknown): FieldProblem {
  const path = pointerToPath(e.instancePath);
  const value = valueAt(root, e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: joinPath(path, String(params['missingProperty'])), message: 'required field is missing' };
    case 'additionalProperties':
      return { path: joinPath(path, String(params['additionalProperty'])), message: 'unknown field' };
    case 'type':
      return { path, message: `must be ${String(params['type'])}, got ${describe(value)}` };
    case 'enum':
      return { path, message: `unsupported value ${JSON.stringify(value)}; must be one of ${(params['allowedValues'] as unknown[]).join(', ')}` };
    case 'format':
      return params['format'] === 'duration'
        ? { path, message: `invalid duration ${JSON.stringify(value)} (use e.g. "7s", "0.5s", "100ms", "1m", "1h")` }
        : { path, message: `must be a valid ${String(params['format'])}, got ${describe(value)}` };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

/**
 * Turn ajv's errors into one problem per field. A wrong type also fails `format`/`minimum`
 * on the same field; only the first problem per field and keyword family is kept.
 */
export function toProblems(errors: readonly ErrorObject[] | null | undefined, root: unknown): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const e of errors ?? []) {
    const p = problemOf(e, root);
    const key = `${p.path}\u0000${e.keyword === 'type' ? 'type' : p.message}`;
    if (seen.has(key) || seen.has(`${p.path}\u0000type`)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * Shape comparison against the contract's sample responses (testing/samples, copied from
 * kiali-contract.md's reference set): every key a sample has must exist in the answer with the same
 * JSON type, recursively (arrays: their first element). Values may differ; extra keys are allowed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function sample(name: string): unknown {
  return JSON.parse(readFileSync(path.join(__dirname, 'samples', `${name}.json`), 'utf8')) as unknown;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Paths where `actual` lacks a key of `expected` or has another type there ([] when the shape holds). */
export function shapeMismatches(expected: unknown, actual: unknown, at = '$'): string[] {
  if (typeOf(expected) !== typeOf(actual)) return [`${at}: expected ${typeOf(expected)}, got ${typeOf(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return [];
    if (actual.length === 0) return [`${at}: expected a non-empty array`];
    return shapeMismatches(expected[0], actual[0], `${at}[0]`);
  }
  if (typeOf(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((k) => (k in a ? shapeMismatches(e[k], a[k], `${at}.${k}`) : [`${at}.${k}: missing`]));
  }
  return [];
}

/** Typed reads of untrusted JSON fields; each failure names the field, as Zipkin's decoder does. */
import { TrellisError } from '@trellis/shared';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function malformed(field: string, expected: string, value: unknown): TrellisError {
  return new TrellisError('SPAN_INVALID', `${field}: expected ${expected}`, { field, got: typeof value });
}

export function optionalString(obj: JsonObject, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(field, 'a string', value);
  return value;
}

/** Non-negative integer fields (timestamps, durations, ports); zero reads as absent, as in Zipkin. */
export function optionalCount(obj: JsonObject, field: string): number | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw malformed(field, 'a non-negative number', value);
  const n = Math.trunc(value);
  return n === 0 ? undefined : n;
}

export function optionalBoolean(obj: JsonObject, field: string): boolean | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw malformed(field, 'a boolean', value);
  return value;
}

/** Tag values are strings; numbers and booleans are read as their text (Zipkin's reader does the same). */
export function scalarText(field: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw malformed(field, 'a string', value);
}

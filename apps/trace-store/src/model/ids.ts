/** Zipkin's id rules (zipkin2.Span.normalizeTraceId and friends): lower-hex, padded, never all zeros. */
import { TrellisError } from '@trellis/shared';

const LOWER_HEX = /^[0-9a-f]+$/;

function badId(field: string, reason: string, value: string): TrellisError {
  return new TrellisError('SPAN_INVALID', `${field}${reason}`, { field, value });
}

function checkHex(field: string, value: string, maxLength: number): number {
  if (value.length === 0) throw badId(field, ' is empty', value);
  if (value.length > maxLength) throw badId(field, `.length > ${maxLength}`, value);
  if (!LOWER_HEX.test(value)) throw badId(field, ' should be lower-hex encoded with no prefix', value);
  const zeros = value.length - value.replace(/^0+/, '').length;
  if (zeros === value.length) throw badId(field, ' is all zeros', value);
  return zeros;
}

/** 64- or 128-bit trace id: shorter ids are left-padded; a 128-bit id with a zero high half becomes 64-bit. */
export function normalizeTraceId(value: string): string {
  const zeros = checkHex('traceId', value, 32);
  if (value.length === 32 && zeros >= 16) return value.slice(16);
  if (value.length === 32 || value.length === 16) return value;
  return value.padStart(value.length < 16 ? 16 : 32, '0');
}

/** A 64-bit span id (`id`, `parentId`), left-padded to 16 characters. */
export function normalizeSpanId(field: string, value: string): string {
  checkHex(field, value, 16);
  return value.padStart(16, '0');
}

/** A trace id from a URL (`/api/v2/trace/{id}`, `traceMany`): the same rules, `undefined` when invalid. */
export function traceIdFromPath(value: string): string | undefined {
  try {
    return normalizeTraceId(value.toLowerCase());
  } catch {
    return undefined;
  }
}

import { randomFillSync } from 'node:crypto';

/**
 * Span and trace ids: 64-bit random values as 16 lower-case hex digits (Zipkin's and W3C's spelling).
 * Random bytes come 4 KiB at a time and are hex-encoded at once, so an id is a 16-character slice of
 * that string — no native call per id; only sampled requests ask for one.
 */
const POOL_BYTES = 4096;
const ID_HEX = 16;
const ZERO_ID = '0'.repeat(ID_HEX);
const pool = Buffer.allocUnsafe(POOL_BYTES);
let hex = '';
let offset = 0;

/** 16 hex digits, never all zero (an all-zero id is invalid in B3 and W3C). */
export function randomId64(): string {
  for (;;) {
    if (offset + ID_HEX > hex.length) {
      randomFillSync(pool);
      hex = pool.toString('hex');
      offset = 0;
    }
    const id = hex.slice(offset, offset + ID_HEX);
    offset += ID_HEX;
    if (id !== ZERO_ID) return id;
  }
}

const HEX = /^[0-9a-fA-F]+$/;
const ZERO = /^0+$/;

/** Hex of the given length, not all zero (B3 ids may arrive in upper case: Envoy parses them as numbers). */
export function isHexId(value: string, length: number): boolean {
  return value.length === length && HEX.test(value) && !ZERO.test(value);
}

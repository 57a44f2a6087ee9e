import { randomFillSync } from 'node:crypto';

/**
 * Span and trace ids: 64-bit random values as 16 lower-case hex digits (Zipkin's and W3C's spelling).
 * Random bytes come from a pool refilled 4 KiB at a time, so an id costs a slice of the pool and one
 * short string — only sampled requests ask for one.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** 16 hex digits, never all zero (an all-zero id is invalid in B3 and W3C). */
export function randomId64(): string {
  for (;;) {
    if (offset + 8 > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const at = offset;
    offset += 8;
    if (pool.readUInt32BE(at) !== 0 || pool.readUInt32BE(at + 4) !== 0) return pool.toString('hex', at, at + 8);
  }
}

const HEX = /^[0-9a-fA-F]+$/;
const ZERO = /^0+$/;

/** Hex of the given length, not all zero (B3 ids may arrive in upper case: Envoy parses them as numbers). */
export function isHexId(value: string, length: number): boolean {
  return value.length === length && HEX.test(value) && !ZERO.test(value);
}

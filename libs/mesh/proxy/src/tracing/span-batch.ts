import type { SpanFormat } from './span-context';

/**
 * The spans waiting for the next report, kept as the request body's bytes: each finished span is
 * serialised once and appended to one staging buffer (allocated on the first span), so no span object
 * outlives its request and the memory is bounded by `maxBytes` whatever the collector does. A span
 * that does not fit is refused (the reporter sends or drops and counts).
 */
export class SpanBatch {
  private buf: Buffer | undefined;
  private used = 0;
  private count = 0;
  private readonly prefixBytes: number;
  private readonly suffixBytes: number;

  constructor(
    private readonly format: Pick<SpanFormat, 'prefix' | 'suffix'>,
    private readonly maxBytes: number,
  ) {
    this.prefixBytes = Buffer.byteLength(format.prefix);
    this.suffixBytes = Buffer.byteLength(format.suffix);
  }

  /** Spans appended since the last `take`. */
  get spans(): number {
    return this.count;
  }

  /** Appends one span's JSON; false when it does not fit (the batch is unchanged). */
  append(json: string): boolean {
    const buf = this.buffer();
    const room = this.maxBytes - this.suffixBytes - this.used - (this.count > 0 ? 1 : 0);
    // A string of n UTF-16 units is at most 3n UTF-8 bytes: measure only when it might not fit.
    if (json.length * 3 > room && Buffer.byteLength(json) > room) return false;
    if (this.count > 0) buf[this.used++] = 0x2c; // ','
    this.used += buf.write(json, this.used);
    this.count++;
    return true;
  }

  /** The request body for the spans so far (a copy: the staging buffer is reused at once), then empty. */
  take(): Buffer {
    const buf = this.buffer();
    this.used += buf.write(this.format.suffix, this.used);
    const body = Buffer.from(buf.subarray(0, this.used));
    this.clear();
    return body;
  }

  clear(): void {
    this.count = 0;
    if (this.buf !== undefined) this.used = this.prefixBytes;
  }

  private buffer(): Buffer {
    if (this.buf === undefined) {
      this.buf = Buffer.allocUnsafeSlow(this.maxBytes);
      this.used = this.buf.write(this.format.prefix, 0);
    }
    return this.buf;
  }
}

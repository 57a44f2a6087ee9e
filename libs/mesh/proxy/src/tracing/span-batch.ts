import type { SpanFormat } from './span-context';

/**
 * The spans waiting for the next report, kept as the request body's bytes: each finished span is
 * serialised once and appended to a staging buffer, so no span object outlives its request and the
 * memory is bounded by bytes whatever the collector does. A span that does not fit is refused (the
 * reporter sends or drops and counts).
 *
 * `take` hands the staging buffer itself out as the body (no copy) and the next span starts a buffer
 * kept spare; the reporter gives a body back with `recycle` once the collector has answered. So at
 * load a report allocates nothing: a body copied per report (~100 KB, ten a second) lived through
 * the POST into V8's old generation and its bytes stayed resident until the next full GC. Buffers of
 * `maxBytes`: the staging one, one per report in flight, one spare; pages are touched only as spans
 * fill them.
 */
export class SpanBatch {
  private buf: Buffer | undefined;
  private used = 0;
  private count = 0;
  private spare: Buffer | undefined;
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

  /** The request body for the spans so far (the staging buffer itself: hand it to `recycle` when sent), then empty. */
  take(): Buffer {
    const buf = this.buffer();
    this.used += buf.write(this.format.suffix, this.used);
    const body = buf.subarray(0, this.used);
    this.buf = undefined;
    this.count = 0;
    return body;
  }

  /**
   * A body from `take` the collector has fully read (it answered): its buffer serves a later batch.
   * Bodies of failed reports are not given back (a write may still hold them); they are garbage.
   */
  recycle(body: Buffer): void {
    const whole = body.buffer;
    if (this.spare !== undefined || body.byteOffset !== 0 || whole.byteLength !== this.maxBytes) return;
    this.spare = Buffer.from(whole, 0, this.maxBytes);
  }

  clear(): void {
    this.count = 0;
    if (this.buf !== undefined) this.used = this.prefixBytes;
  }

  private buffer(): Buffer {
    if (this.buf === undefined) {
      this.buf = this.spare ?? Buffer.allocUnsafeSlow(this.maxBytes);
      this.spare = undefined;
      this.used = this.buf.write(this.format.prefix, 0);
    }
    return this.buf;
  }
}

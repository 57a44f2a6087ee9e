/** gRPC message framing and status, for the client transport (grpc-stream.ts). */
import { GrpcCode } from '@trellis/shared';
import { GRPC_PREFIX } from '../proto/grpc-frame';

export interface GrpcStatus {
  readonly code: number;
  readonly details: string;
}

const MiB = 1024 * 1024;

export class GrpcStreamError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Splits a byte stream into length-prefixed messages; each input byte is copied at most once. */
export class MessageDeframer {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1; // payload length of the message in progress; -1 while reading its prefix

  constructor(private readonly maxMessageBytes: number = 256 * MiB) {}

  /** The messages completed by `chunk`. Throws on a compressed or oversized message. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < GRPC_PREFIX) return out;
        const prefix = this.take(GRPC_PREFIX);
        const flag = prefix.readUInt8(0);
        if (flag !== 0) throw new GrpcStreamError(GrpcCode.INTERNAL, `Received message with compressed-flag ${flag}, but no compression was negotiated`);
        this.expected = prefix.readUInt32BE(1);
        if (this.expected > this.maxMessageBytes) {
          throw new GrpcStreamError(GrpcCode.RESOURCE_EXHAUSTED, `Received message larger than max (${this.expected} vs. ${this.maxMessageBytes})`);
        }
      }
      if (this.buffered < this.expected) return out;
      out.push(this.take(this.expected));
      this.expected = -1;
    }
  }

  /** The next `n` buffered bytes: a view when one chunk holds them, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0] ?? Buffer.alloc(0);
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let used = 0; // whole chunks consumed, removed with one splice (no repeated shifting)
    for (const chunk of this.chunks) {
      const k = chunk.copy(out, filled, 0, Math.min(chunk.length, n - filled));
      filled += k;
      if (k < chunk.length) this.chunks[used] = chunk.subarray(k);
      else used += 1;
      if (filled === n) break;
    }
    this.chunks.splice(0, used);
    return out;
  }
}

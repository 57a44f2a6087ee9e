import { MX_HEADER_BYTES, MX_MAGIC, MX_MAX_PAYLOAD, type PeerInterner } from './metadata-exchange-codec';
import type { WorkloadInfo } from '../stats/workload';

/**
 * How one side's exchange ended (istio/proxy's states and counters): `found` (header and payload read
 * and drained), `initial_header_not_found` (the first bytes are not the magic: the peer has no exchange
 * filter — nothing drained), `header_not_found` (magic but no Any of a Struct, or too large: the header
 * is drained, the rest passed on), `closed` (the stream ended first: what was held is passed on).
 */
export type ExchangeOutcome = 'found' | 'initial_header_not_found' | 'header_not_found' | 'closed';

/**
 * Reads the peer's exchange off the front of a byte stream, across any chunking: `push` returns the
 * bytes for the next filter (undefined while it still needs more); once done, chunks pass through
 * untouched at the cost of one branch. `onResult` is called exactly once.
 */
export class ExchangeReader {
  private pending: Buffer | undefined;
  /** Payload size once the header was read; -1 before. */
  private size = -1;
  private done = false;

  constructor(
    private readonly interner: PeerInterner,
    private readonly onResult: (peer: WorkloadInfo | undefined, outcome: ExchangeOutcome) => void,
  ) {}

  get finished(): boolean {
    return this.done;
  }

  push(chunk: Buffer): Buffer | undefined {
    if (this.done) return chunk;
    let buf = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    if (this.size < 0) {
      if (buf.length < MX_HEADER_BYTES) return this.hold(buf);
      if (buf.readUInt32BE(0) !== MX_MAGIC) return this.finish(undefined, 'initial_header_not_found', buf);
      const size = buf.readUInt32BE(4);
      buf = buf.subarray(MX_HEADER_BYTES);
      if (size > MX_MAX_PAYLOAD) return this.finish(undefined, 'header_not_found', buf);
      this.size = size;
    }
    if (buf.length < this.size) return this.hold(buf);
    const peer = this.interner.lookup(buf.subarray(0, this.size));
    if (peer === undefined) return this.finish(undefined, 'header_not_found', buf);
    return this.finish(peer ?? undefined, 'found', buf.subarray(this.size));
  }

  /** The stream ended before the exchange did: the held bytes (if any), to pass on before the end. */
  flush(): Buffer | undefined {
    if (this.done) return undefined;
    const rest = this.pending;
    this.pending = undefined;
    this.finish(undefined, 'closed', undefined);
    return rest;
  }

  private hold(buf: Buffer): undefined {
    this.pending = buf;
    return undefined;
  }

  private finish(peer: WorkloadInfo | undefined, outcome: ExchangeOutcome, rest: Buffer | undefined): Buffer | undefined {
    this.done = true;
    this.onResult(peer, outcome);
    return rest === undefined || rest.length === 0 ? undefined : rest;
  }
}

import type { Readable } from 'node:stream';

/**
 * gRPC message counting as Envoy's grpc_stats filter does it (Grpc::FrameInspector), for istio.stats'
 * istio_request_messages_total / istio_response_messages_total: a body is a sequence of
 * length-prefixed messages — 1 flag byte, a 4-byte big-endian length, then that many bytes — and a
 * message is counted when its frame header begins. Frames may span chunks, so the inspector keeps
 * its place between calls; it only reads header bytes and skips payloads by arithmetic.
 */
export class GrpcFrameInspector {
  /** Messages whose frame has begun. */
  count = 0;
  /** Header bytes still to read of the current frame (0 = inside a payload, or between frames when `payloadLeft` is 0). */
  private headerLeft = 0;
  private length = 0;
  private payloadLeft = 0;

  inspect(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.payloadLeft > 0) {
        const skip = Math.min(this.payloadLeft, n - i);
        this.payloadLeft -= skip;
        i += skip;
        continue;
      }
      if (this.headerLeft === 0) {
        // The flag byte: a new frame.
        this.count++;
        this.headerLeft = 4;
        this.length = 0;
        i++;
        continue;
      }
      this.length = this.length * 256 + (chunk[i] as number);
      i++;
      if (--this.headerLeft === 0) this.payloadLeft = this.length;
    }
  }
}

/** One gRPC exchange's two directions (set on the exchange by istio.stats for gRPC requests only). */
export class GrpcMessageCounts {
  readonly request = new GrpcFrameInspector();
  readonly response = new GrpcFrameInspector();
  private watching = false;

  /**
   * Counts the request body's frames as they stream upstream, without consuming it: the counter joins
   * the body's 'data' listeners together with its consumer (pipe or the h1 writer), in the same
   * synchronous step: a listener added before would start the flow and lose chunks for the
   * consumer. A buffered body is inspected once.
   */
  watchRequest(body: Buffer | Readable | null): void {
    if (this.watching || body === null) return;
    this.watching = true;
    if (Buffer.isBuffer(body)) return this.request.inspect(body);
    const onData = (chunk: Buffer): void => this.request.inspect(chunk);
    if (body.listenerCount('data') > 0) {
      body.on('data', onData);
      return;
    }
    const hook = (event: string | symbol): void => {
      if (event !== 'data') return;
      body.off('newListener', hook);
      body.on('data', onData);
    };
    body.on('newListener', hook);
  }
}

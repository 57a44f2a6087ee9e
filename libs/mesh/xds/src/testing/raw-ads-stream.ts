import * as grpc from '@grpc/grpc-js';
import { ADS_METHOD_PATH, decodeDiscoveryResponse, deltaClientMethod, encodeDiscoveryRequest, type DiscoveryRequest, type DiscoveryResponse } from '../proto/discovery';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../proto/delta-types';

interface Method<Req, Res> {
  readonly path: string;
  readonly serialize: (req: Req) => Buffer;
  readonly deserialize: (bytes: Buffer) => Res;
}

/** A bare xDS stream for protocol tests: send exact requests, await exact responses. */
export class RawStream<Req, Res extends { readonly type_url: string }> {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<Req, Res>;
  private readonly queue: Res[] = [];
  private waiter: (() => void) | undefined;
  readonly ended: Promise<grpc.StatusObject>;

  constructor(port: number, method: Method<Req, Res>) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    this.call = this.client.makeBidiStreamRequest(method.path, method.serialize, method.deserialize);
    this.call.on('data', (r: Res) => {
      this.queue.push(r);
      this.waiter?.();
    });
    this.ended = new Promise((resolve) => {
      this.call.on('status', (s: grpc.StatusObject) => resolve(s));
      this.call.on('error', () => undefined);
    });
  }

  send(req: Req): void {
    this.call.write(req);
  }

  async next(timeoutMs = 3000): Promise<Res> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no DiscoveryResponse within timeout');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift()!;
  }

  /** Asserts that no response arrives within `ms`. */
  async expectNothing(ms = 300): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    if (this.queue.length > 0) throw new Error(`unexpected DiscoveryResponse for ${this.queue[0]!.type_url}`);
  }

  /** Stops reading (the server's writes back up once the HTTP/2 windows fill). */
  pause(): void {
    this.call.pause();
  }

  resume(): void {
    this.call.resume();
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

/** A StreamAggregatedResources stream. */
export class RawAdsStream extends RawStream<DiscoveryRequest, DiscoveryResponse> {
  constructor(port: number) {
    super(port, { path: ADS_METHOD_PATH, serialize: encodeDiscoveryRequest, deserialize: decodeDiscoveryResponse });
  }
}

/** A DeltaAggregatedResources stream. */
export class RawDeltaStream extends RawStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  constructor(port: number) {
    super(port, deltaClientMethod);
  }
}

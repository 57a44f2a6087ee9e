import * as grpc from '@grpc/grpc-js';
import { ADS_METHOD_PATH, decodeDiscoveryResponse, encodeDiscoveryRequest, type DiscoveryRequest, type DiscoveryResponse } from '../proto/discovery';

/** A bare ADS stream for protocol tests: send exact DiscoveryRequests, await exact responses. */
export class RawAdsStream {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  private readonly queue: DiscoveryResponse[] = [];
  private waiter: (() => void) | undefined;
  readonly ended: Promise<grpc.StatusObject>;

  constructor(port: number) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    this.call = this.client.makeBidiStreamRequest(ADS_METHOD_PATH, encodeDiscoveryRequest, decodeDiscoveryResponse);
    this.call.on('data', (r: DiscoveryResponse) => {
      this.queue.push(r);
      this.waiter?.();
    });
    this.ended = new Promise((resolve) => {
      this.call.on('status', (s: grpc.StatusObject) => resolve(s));
      this.call.on('error', () => undefined);
    });
  }

  send(req: DiscoveryRequest): void {
    this.call.write(req);
  }

  async next(timeoutMs = 3000): Promise<DiscoveryResponse> {
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

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

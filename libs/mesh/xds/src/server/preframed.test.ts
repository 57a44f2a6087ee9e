import * as grpc from '@grpc/grpc-js';
import { BaseServerInterceptingCall } from '@grpc/grpc-js/build/src/server-interceptors';
import { packResource } from '../proto/codec';
import { ADS_METHOD_PATH, adsServiceDefinition, decodeDiscoveryResponse, encodeDiscoveryRequest, encodeDiscoveryResponse, type DiscoveryRequest, type DiscoveryResponse } from '../proto/discovery';
import { TYPE_URLS } from '../proto/type-urls';
import { installPreframedSends } from './preframed';

type Serialize = (this: { handler: { serialize(v: unknown): Buffer } }, value: unknown) => Buffer;

const response: DiscoveryResponse = {
  version_info: 'v1',
  resources: Array.from({ length: 300 }, (_, i) => packResource(TYPE_URLS.CDS, { name: `outbound|9080||svc-${i}.default.svc.cluster.local`, type: 'EDS' })),
  type_url: TYPE_URLS.CDS,
  nonce: 'round-1-CDS',
};

describe('preframed sends', () => {
  beforeAll(() => expect(installPreframedSends()).toBe(true));

  it("hands out one shared, correctly prefixed frame for a shared response and frames anything else like grpc-js", () => {
    const serialize = (BaseServerInterceptingCall.prototype as unknown as { serializeMessage: Serialize }).serializeMessage;
    const call = { handler: { serialize: (v: unknown) => encodeDiscoveryResponse(v as DiscoveryResponse) } };
    const a = serialize.call(call, response);
    const b = serialize.call(call, { ...response });
    expect(b).toBe(a); // the same bytes for every stream, no per-stream copy
    const message = encodeDiscoveryResponse(response);
    expect([a[0], a.readUInt32BE(1), a.subarray(5).equals(message)]).toEqual([0, message.length, true]);
    const other = serialize.call({ handler: { serialize: () => Buffer.from('plain') } }, undefined);
    expect(other.equals(Buffer.from([0, 0, 0, 0, 5, ...Buffer.from('plain')]))).toBe(true);
  });

  it('delivers the shared frame intact to several real gRPC streams at once', async () => {
    const server = new grpc.Server();
    server.addService(adsServiceDefinition(), {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => {
        call.on('data', () => call.write(response));
        call.on('end', () => call.end());
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const got = await Promise.all(
        [1, 2, 3].map(
          () =>
            new Promise<DiscoveryResponse>((resolve, reject) => {
              const call = client.makeBidiStreamRequest(ADS_METHOD_PATH, encodeDiscoveryRequest, decodeDiscoveryResponse);
              call.once('data', (r: DiscoveryResponse) => {
                resolve(r);
                call.end();
              });
              call.on('error', reject);
              call.write({ type_url: TYPE_URLS.CDS });
            }),
        ),
      );
      for (const r of got) {
        expect([r.version_info, r.nonce, r.resources.length]).toEqual(['v1', 'round-1-CDS', 300]);
        expect(Buffer.from(r.resources[299]!.value).equals(response.resources[299]!.value)).toBe(true);
      }
    } finally {
      client.close();
      server.forceShutdown();
    }
  });
});

import * as grpc from '@grpc/grpc-js';
import { packResource } from '../proto/codec';
import { ADS_METHOD_PATH, adsServiceDefinition, decodeDiscoveryResponse, encodeDiscoveryRequest, encodeDiscoveryResponse, type DiscoveryRequest, type DiscoveryResponse } from '../proto/discovery';
import { grpcFrame } from '../proto/grpc-frame';
import { TYPE_URLS } from '../proto/type-urls';
import { detectPreframedHook, probePreframedHook, usePreframedSends, type HookTarget } from './grpc-js-preframed';

/**
 * Pins grpc-js's private `serializeMessage` hook: a grpc-js upgrade that moves, renames or changes
 * it fails here. (server/preframed.test.ts holds both send paths byte-identical on the wire.)
 */

type Serialize = (this: { handler: { serialize(v: unknown): Buffer } }, value: unknown) => Buffer;

const response: DiscoveryResponse = {
  version_info: 'v1',
  resources: Array.from({ length: 300 }, (_, i) => packResource(TYPE_URLS.CDS, { name: `outbound|9080||svc-${i}.default.svc.cluster.local`, type: 'EDS' })),
  type_url: TYPE_URLS.CDS,
  nonce: 'round-1-CDS',
};

function hookTarget(): HookTarget {
  const hook = detectPreframedHook();
  if (!hook.ok) throw new Error(hook.reason);
  return hook.api;
}

const serializeOf = (proto: HookTarget): Serialize => proto['serializeMessage'] as Serialize;

describe('grpc-js private API: BaseServerInterceptingCall.prototype.serializeMessage', () => {
  afterAll(() => usePreframedSends(true));

  it('is there, in the deep module, with the shape the hook relies on', () => {
    const hook = detectPreframedHook();
    expect(hook).toMatchObject({ ok: true });
    // The very prototype grpc-js servers use.
    const { BaseServerInterceptingCall } = require('@grpc/grpc-js/build/src/server-interceptors') as { BaseServerInterceptingCall: { prototype: HookTarget } };
    expect(hookTarget()).toBe(BaseServerInterceptingCall.prototype);
  });

  it('falls back, never throws, when the module or the method is missing or of another shape', () => {
    const reasons = [
      probePreframedHook(() => {
        throw new Error("Cannot find module '@grpc/grpc-js/build/src/server-interceptors'");
      }),
      probePreframedHook(() => ({})),
      probePreframedHook(() => ({ BaseServerInterceptingCall: class {} })),
      probePreframedHook(() => ({ BaseServerInterceptingCall: class { serializeMessage(): Buffer { return Buffer.from('unframed'); } sendMessage(): void { return undefined; } } })),
      probePreframedHook(() => ({ BaseServerInterceptingCall: class { serializeMessage(this: { handler: { serialize(): Buffer } }): Buffer { return grpcFrame([this.handler.serialize()]); } sendMessage(): void { return undefined; } } })),
    ].map((d) => (d.ok ? 'ok' : d.reason));
    expect(reasons).toEqual([
      expect.stringContaining('Cannot find module'),
      expect.stringContaining('no BaseServerInterceptingCall'),
      expect.stringContaining('serializeMessage is not a function'),
      expect.stringContaining('no longer returns the gRPC frame'),
      expect.stringContaining('sendMessage no longer calls this.serializeMessage'),
    ]);
  });

  it('installed: one shared, correctly prefixed frame for a shared response; anything else framed like grpc-js', () => {
    expect(usePreframedSends(true)).toEqual({ preframed: true });
    const serialize = serializeOf(hookTarget());
    const call = { handler: { serialize: (v: unknown) => encodeDiscoveryResponse(v as DiscoveryResponse) } };
    const a = serialize.call(call, response);
    const b = serialize.call(call, { ...response });
    expect(b).toBe(a); // the same bytes for every stream, no per-stream copy
    const message = encodeDiscoveryResponse(response);
    expect([a[0], a.readUInt32BE(1), a.subarray(5).equals(message)]).toEqual([0, message.length, true]);
    const other = serialize.call({ handler: { serialize: () => Buffer.from('plain') } }, undefined);
    expect(other.equals(Buffer.from([0, 0, 0, 0, 5, ...Buffer.from('plain')]))).toBe(true);
  });

  it('off: grpc-js gets its own method back (a fresh frame per call); on again installs the hook again', () => {
    usePreframedSends(true);
    const ours = serializeOf(hookTarget());
    expect(usePreframedSends(false)).toEqual({ preframed: false, reason: 'private APIs disabled' });
    const original = serializeOf(hookTarget());
    expect(original).not.toBe(ours);
    const call = { handler: { serialize: (v: unknown) => encodeDiscoveryResponse(v as DiscoveryResponse) } };
    const a = original.call(call, response);
    expect(original.call(call, response)).not.toBe(a);
    expect(a.equals(grpcFrame([encodeDiscoveryResponse(response)]))).toBe(true);
    usePreframedSends(true);
    expect(serializeOf(hookTarget())).toBe(ours);
  });

  it('is what grpc-js calls for every message a server sends, and the shared frame reaches real streams intact', async () => {
    usePreframedSends(true);
    const spy = jest.spyOn(hookTarget() as unknown as { serializeMessage: Serialize }, 'serializeMessage');
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
      expect(spy).toHaveBeenCalledTimes(3);
      const frames = spy.mock.results.map((r) => r.value as Buffer);
      expect(frames[1]).toBe(frames[0]);
      expect(frames[2]).toBe(frames[0]);
    } finally {
      spy.mockRestore();
      client.close();
      server.forceShutdown();
    }
  });
});

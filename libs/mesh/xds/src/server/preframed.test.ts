import * as grpc from '@grpc/grpc-js';
import { connect } from 'node:http2';
import { silentLogger } from '@trellis/shared';
import { packResource } from '../proto/codec';
import { ADS_METHOD_PATH, adsServiceDefinition, decodeDiscoveryResponse, encodeDiscoveryRequest, encodeDiscoveryResponse, type DiscoveryRequest, type DiscoveryResponse } from '../proto/discovery';
import { grpcFrame } from '../proto/grpc-frame';
import { TYPE_URLS } from '../proto/type-urls';
import { SIDECAR_NODE, basicResources } from '../testing/fixtures';
import { preframedSendsInstalled, usePreframedSends } from '../unsafe/grpc-js-preframed';
import { createAdsServer } from './ads-server';

/**
 * Both send paths of the ADS server on real HTTP/2 streams, read as raw bytes: the private
 * pre-framed hook (unsafe/grpc-js-preframed.ts) and its fallback, grpc-js framing every message
 * itself (TRELLIS_PRIVATE_APIS=off). The bytes on the wire must be the same.
 */

const response: DiscoveryResponse = {
  version_info: 'v1',
  resources: Array.from({ length: 300 }, (_, i) => packResource(TYPE_URLS.CDS, { name: `outbound|9080||svc-${i}.default.svc.cluster.local`, type: 'EDS' })),
  type_url: TYPE_URLS.CDS,
  nonce: 'round-1-CDS',
};

/** One ADS stream over plain node:http2: sends `request`, resolves with the first gRPC message frame exactly as received. */
function firstFrame(port: number, request: DiscoveryRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': ADS_METHOD_PATH, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      const bytes = Buffer.concat(chunks, length);
      if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt32BE(1)) {
        resolve(bytes.subarray(0, 5 + bytes.readUInt32BE(1)));
        stream.close();
        session.close();
      }
    });
    stream.on('error', reject);
    stream.write(grpcFrame([encodeDiscoveryRequest(request)]));
  });
}

describe.each([
  ['the private pre-framed hook', true],
  ['grpc-js framing (the fallback)', false],
])('ADS sends through %s', (_name, privateApis) => {
  afterAll(() => usePreframedSends(true));

  it('writes one shared response to several real streams as the exact gRPC frame of its encoding', async () => {
    expect(usePreframedSends(privateApis).preframed).toBe(privateApis);
    const server = new grpc.Server();
    server.addService(adsServiceDefinition(), {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => {
        call.on('data', () => call.write(response));
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    try {
      const frames = await Promise.all([1, 2, 3].map(() => firstFrame(port, { type_url: TYPE_URLS.CDS })));
      const expected = grpcFrame([encodeDiscoveryResponse(response)]);
      for (const f of frames) expect(f.equals(expected)).toBe(true);
    } finally {
      server.forceShutdown();
    }
  });

  it(`createAdsServer({ privateApis: ${privateApis} }) installs the hook or not, and answers with well-framed responses`, async () => {
    usePreframedSends(!privateApis); // start from the other state: the option decides
    const server = createAdsServer({ generate: () => basicResources(), logger: silentLogger(), privateApis });
    expect(preframedSendsInstalled()).toBe(privateApis);
    const port = await server.bind('127.0.0.1:0');
    try {
      const frame = await firstFrame(port, { type_url: TYPE_URLS.CDS, node: SIDECAR_NODE });
      const message = frame.subarray(5);
      expect([frame[0], frame.readUInt32BE(1)]).toEqual([0, message.length]);
      const decoded = decodeDiscoveryResponse(message);
      expect(decoded.resources).toHaveLength(1);
      expect(encodeDiscoveryResponse({ ...decoded }).equals(message)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

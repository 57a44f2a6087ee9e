import type * as grpc from '@grpc/grpc-js';
import { decodeMessage, encodeMessage } from './codec';
import { ADS_METHOD_PATH, type DiscoveryRequest } from './discovery-types';
import { DELTA_ADS_METHOD_PATH, type DeltaDiscoveryRequest, type DeltaDiscoveryResponse } from './delta-types';
import { readDeltaDiscoveryResponse, writeDeltaDiscoveryRequest, writeDeltaDiscoveryResponse, type DeltaResponseFields } from './delta-wire';
import { writeDiscoveryRequest } from './request-wire';
import { readDiscoveryResponse } from './response-read';
import { RequestIntern } from './request-intern';
import { writeDiscoveryResponse, type DiscoveryResponseFields } from './response-wire';

export { ADS_METHOD_PATH, type DiscoveryRequest, type RpcStatus, type XdsNode } from './discovery-types';

/** envoy.service.discovery.v3.DiscoveryResponse (resources stay packed Anys). */
export type DiscoveryResponse = DiscoveryResponseFields;

const REQUEST = 'envoy.service.discovery.v3.DiscoveryRequest';
const RESPONSE = 'envoy.service.discovery.v3.DiscoveryResponse';

/** Hand-written (request-wire.ts), so the proxy's client needs no protobuf reflection. */
export function encodeDiscoveryRequest(request: DiscoveryRequest): Buffer {
  return writeDiscoveryRequest(request);
}

/** The generic protobufjs encoding of the same message (tests compare the two). */
export function encodeDiscoveryRequestGeneric(request: DiscoveryRequest): Buffer {
  return encodeMessage(REQUEST, { ...request });
}

export function decodeDiscoveryRequest(bytes: Buffer): DiscoveryRequest {
  // The decoded object has exactly the proto's shape; this is the one place that says so.
  return decodeMessage(REQUEST, bytes) as DiscoveryRequest;
}

/** Hand-written (response-wire.ts): the resources' bytes are shared by every proxy sent the same list. */
export function encodeDiscoveryResponse(response: DiscoveryResponse): Buffer {
  return writeDiscoveryResponse(response);
}

/** The generic protobufjs encoding of the same message (tests compare the two). */
export function encodeDiscoveryResponseGeneric(response: DiscoveryResponse): Buffer {
  return encodeMessage(RESPONSE, { ...response });
}

/** Hand-written (response-read.ts). */
export function decodeDiscoveryResponse(bytes: Buffer): DiscoveryResponse {
  return readDiscoveryResponse(bytes);
}

const DELTA_REQUEST = 'envoy.service.discovery.v3.DeltaDiscoveryRequest';

export function decodeDeltaDiscoveryRequest(bytes: Buffer): DeltaDiscoveryRequest {
  // As decodeDiscoveryRequest: the decoded object has exactly the proto's shape.
  return decodeMessage(DELTA_REQUEST, bytes) as DeltaDiscoveryRequest;
}

/** The generic protobufjs encoding (tests compare it with the hand-written one). */
export function encodeDeltaDiscoveryRequestGeneric(request: DeltaDiscoveryRequest): Buffer {
  return encodeMessage(DELTA_REQUEST, { ...request });
}

/** The server's decoders: byte-identical large requests (a namespace's EDS subscription) share one frozen object. */
const sotwRequests = new RequestIntern(decodeDiscoveryRequest);
const deltaRequests = new RequestIntern(decodeDeltaDiscoveryRequest);

/**
 * Both ADS methods for grpc-js (server side: `server.addService`). The delta method's responses are
 * written from the server's fields; tests that read them as a client use `deltaClientMethod`.
 */
export function adsServiceDefinition(): grpc.ServiceDefinition {
  return {
    StreamAggregatedResources: {
      path: ADS_METHOD_PATH,
      requestStream: true,
      responseStream: true,
      requestSerialize: encodeDiscoveryRequest,
      requestDeserialize: (bytes: Buffer) => sotwRequests.decode(bytes),
      responseSerialize: encodeDiscoveryResponse,
      responseDeserialize: decodeDiscoveryResponse,
      originalName: 'streamAggregatedResources',
    } satisfies grpc.MethodDefinition<DiscoveryRequest, DiscoveryResponse>,
    DeltaAggregatedResources: {
      path: DELTA_ADS_METHOD_PATH,
      requestStream: true,
      responseStream: true,
      requestSerialize: writeDeltaDiscoveryRequest,
      requestDeserialize: (bytes: Buffer) => deltaRequests.decode(bytes),
      responseSerialize: writeDeltaDiscoveryResponse,
      responseDeserialize: (): DeltaResponseFields => {
        throw new Error('server-side definition: read delta responses with readDeltaDiscoveryResponse');
      },
      originalName: 'deltaAggregatedResources',
    } satisfies grpc.MethodDefinition<DeltaDiscoveryRequest, DeltaResponseFields>,
  };
}

/** What a grpc-js client of the delta method uses (tests, the bench): hand-written both ways. */
export const deltaClientMethod = {
  path: DELTA_ADS_METHOD_PATH,
  serialize: writeDeltaDiscoveryRequest,
  deserialize: readDeltaDiscoveryResponse,
} as const satisfies { path: string; serialize: (r: DeltaDiscoveryRequest) => Buffer; deserialize: (b: Buffer) => DeltaDiscoveryResponse };

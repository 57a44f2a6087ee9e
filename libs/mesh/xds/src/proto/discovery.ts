import type * as grpc from '@grpc/grpc-js';
import { decodeMessage, encodeMessage } from './codec';
import { ADS_METHOD_PATH, type DiscoveryRequest } from './discovery-types';
import { writeDiscoveryRequest } from './request-wire';
import { readDiscoveryResponse } from './response-read';
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

/** The ADS service for grpc-js (server side: `server.addService`). */
export function adsServiceDefinition(): grpc.ServiceDefinition {
  return {
    StreamAggregatedResources: {
      path: ADS_METHOD_PATH,
      requestStream: true,
      responseStream: true,
      requestSerialize: encodeDiscoveryRequest,
      requestDeserialize: decodeDiscoveryRequest,
      responseSerialize: encodeDiscoveryResponse,
      responseDeserialize: decodeDiscoveryResponse,
      originalName: 'streamAggregatedResources',
    } satisfies grpc.MethodDefinition<DiscoveryRequest, DiscoveryResponse>,
  };
}

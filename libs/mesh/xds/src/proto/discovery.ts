import type * as grpc from '@grpc/grpc-js';
import { decodeMessage, encodeMessage } from './codec';
import { writeDiscoveryResponse, type DiscoveryResponseFields } from './response-wire';

/** envoy.config.core.v3.Node, the fields Trellis reads (metadata as plain JSON). */
export interface XdsNode {
  readonly id?: string;
  readonly cluster?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly user_agent_name?: string;
  readonly locality?: Readonly<Record<string, string>>;
}

/** google.rpc.Status as carried in a NACK. */
export interface RpcStatus {
  readonly code?: number;
  readonly message?: string;
}

export interface DiscoveryRequest {
  readonly version_info?: string;
  readonly node?: XdsNode;
  readonly resource_names?: readonly string[];
  readonly type_url?: string;
  readonly response_nonce?: string;
  readonly error_detail?: RpcStatus;
}

/** envoy.service.discovery.v3.DiscoveryResponse (resources stay packed Anys). */
export type DiscoveryResponse = DiscoveryResponseFields;

const REQUEST = 'envoy.service.discovery.v3.DiscoveryRequest';
const RESPONSE = 'envoy.service.discovery.v3.DiscoveryResponse';

export const ADS_METHOD_PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';

export function encodeDiscoveryRequest(request: DiscoveryRequest): Buffer {
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

export function decodeDiscoveryResponse(bytes: Buffer): DiscoveryResponse {
  const raw = decodeMessage(RESPONSE, bytes) as Partial<DiscoveryResponse>;
  return {
    version_info: raw.version_info ?? '',
    resources: raw.resources ?? [],
    type_url: raw.type_url ?? '',
    nonce: raw.nonce ?? '',
  };
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

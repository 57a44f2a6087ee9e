import type { PackedAny } from './codec';
import type { RpcStatus, XdsNode } from './discovery-types';

/** envoy.service.discovery.v3.DeltaDiscoveryRequest (mesh-internals §1.8); locators are not used. */
export interface DeltaDiscoveryRequest {
  readonly node?: XdsNode;
  readonly type_url?: string;
  readonly resource_names_subscribe?: readonly string[];
  readonly resource_names_unsubscribe?: readonly string[];
  /** Only in the first request of a type on a stream: what the client already holds (reconnect). */
  readonly initial_resource_versions?: Readonly<Record<string, string>>;
  readonly response_nonce?: string;
  readonly error_detail?: RpcStatus;
}

/** One envoy.service.discovery.v3.Resource of a delta response. */
export interface DeltaResource {
  readonly name: string;
  readonly version: string;
  readonly resource: PackedAny;
}

/** envoy.service.discovery.v3.DeltaDiscoveryResponse as the client reads it. */
export interface DeltaDiscoveryResponse {
  readonly system_version_info: string;
  readonly resources: readonly DeltaResource[];
  readonly type_url: string;
  readonly nonce: string;
  readonly removed_resources: readonly string[];
}

export const DELTA_ADS_METHOD_PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources';

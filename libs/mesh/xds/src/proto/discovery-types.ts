/** envoy.config.core.v3.Node, the fields Trellis reads (metadata as plain JSON). */
export interface XdsNode {
  readonly id?: string;
  readonly cluster?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly user_agent_name?: string;
  readonly locality?: Readonly<Record<string, string>>;
  /** Node.client_features (field 10): what the client supports beyond the base protocol. */
  readonly client_features?: readonly string[];
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

export const ADS_METHOD_PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';

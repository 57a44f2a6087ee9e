/** `envoy.config.listener.v3`: Listener (the LDS resource), filter chains and filters. */
import type { Address, Any, BoolValue, Duration, UInt32Value } from './core';
import type { HttpConnectionManager } from './filters';
import type { TransportSocket } from './tls';

export type TrafficDirection = 'UNSPECIFIED' | 'INBOUND' | 'OUTBOUND';

/** envoy.config.listener.v3.Filter: a network filter (http_connection_manager or tcp_proxy). */
export type NetworkFilter = { name?: string; typed_config?: Any };
/** envoy.config.listener.v3.ListenerFilter (original_dst, tls_inspector, http_inspector). */
export type ListenerFilter = { name?: string; typed_config?: Any };

/** envoy.config.core.v3.CidrRange. */
export type CidrRange = { address_prefix?: string; prefix_len?: UInt32Value };
export type FilterChainMatch = {
  destination_port?: UInt32Value;
  prefix_ranges?: CidrRange[];
  server_names?: string[];
  transport_protocol?: string;
  application_protocols?: string[];
};
export type FilterChain = {
  name?: string;
  filter_chain_match?: FilterChainMatch;
  filters?: NetworkFilter[];
  /** `envoy.transport_sockets.tls` with a DownstreamTlsContext: the chain terminates TLS (inbound mTLS, secure gateways). */
  transport_socket?: TransportSocket;
};

/** envoy.config.listener.v3.ApiListener: the HCM of a proxyless gRPC client's listener. */
export type ApiListener = { api_listener?: HttpConnectionManager };

export type Listener = {
  name?: string;
  address?: Address;
  bind_to_port?: BoolValue;
  use_original_dst?: BoolValue;
  traffic_direction?: TrafficDirection;
  listener_filters?: ListenerFilter[];
  /** How long listener filters may wait for bytes (Envoy: 15 s; 0 = no limit). */
  listener_filters_timeout?: Duration;
  /** On that timeout: go on without the inspectors' facts (true) or close (false, Envoy's default). */
  continue_on_listener_filters_timeout?: boolean;
  filter_chains?: FilterChain[];
  default_filter_chain?: FilterChain;
  api_listener?: ApiListener;
};

/** `envoy.config.cluster.v3`: Cluster (the CDS resource) and its policies. */
import type { Any, CommonHttpProtocolOptions, ConfigSource, Duration, Http1ProtocolOptions, Http2ProtocolOptions, Metadata, RoutingPriority, UInt32Value, UpstreamHttpProtocolOptions } from './core';
import type { ClusterLoadAssignment } from './endpoint';
import type { TransportSocket, TransportSocketMatch } from './tls';
import type { HTTP_PROTOCOL_OPTIONS_TYPE } from './type-urls';

export type ClusterDiscoveryType = 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS' | 'ORIGINAL_DST';
export type LbPolicy = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'RING_HASH' | 'MAGLEV' | 'CLUSTER_PROVIDED';

export type EdsClusterConfig = { eds_config?: ConfigSource; service_name?: string };
export type CustomClusterType = { name?: string; typed_config?: Any };
export type RingHashLbConfig = { minimum_ring_size?: UInt32Value; maximum_ring_size?: UInt32Value };

/** CircuitBreakers.Thresholds (per priority). */
export type CircuitBreakerThresholds = {
  priority?: RoutingPriority;
  max_connections?: UInt32Value;
  max_pending_requests?: UInt32Value;
  max_requests?: UInt32Value;
  max_retries?: UInt32Value;
};
export type CircuitBreakers = { thresholds?: CircuitBreakerThresholds[] };

export type OutlierDetection = {
  consecutive_5xx?: UInt32Value;
  consecutive_gateway_failure?: UInt32Value;
  enforcing_consecutive_5xx?: UInt32Value;
  enforcing_consecutive_gateway_failure?: UInt32Value;
  enforcing_success_rate?: UInt32Value;
  interval?: Duration;
  base_ejection_time?: Duration;
  max_ejection_percent?: UInt32Value;
};

/**
 * envoy.extensions.upstreams.http.v3.HttpProtocolOptions: which protocol to speak upstream
 * (`explicit_http_config`: HTTP/1.1 when absent, h2c with `http2_protocol_options`).
 */
export type HttpProtocolOptions = {
  '@type': typeof HTTP_PROTOCOL_OPTIONS_TYPE;
  common_http_protocol_options?: CommonHttpProtocolOptions;
  upstream_http_protocol_options?: UpstreamHttpProtocolOptions;
  explicit_http_config?: { http_protocol_options?: Http1ProtocolOptions; http2_protocol_options?: Http2ProtocolOptions };
};

/** Protocol options by extension name; HttpProtocolOptions is typed. */
export type TypedExtensionProtocolOptions = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'?: HttpProtocolOptions;
  [extension: string]: Any | undefined;
};

export type Cluster = {
  name?: string;
  type?: ClusterDiscoveryType;
  cluster_type?: CustomClusterType;
  eds_cluster_config?: EdsClusterConfig;
  /** Endpoints inline, for STATIC clusters. */
  load_assignment?: ClusterLoadAssignment;
  connect_timeout?: Duration;
  lb_policy?: LbPolicy;
  ring_hash_lb_config?: RingHashLbConfig;
  circuit_breakers?: CircuitBreakers;
  outlier_detection?: OutlierDetection;
  typed_extension_protocol_options?: TypedExtensionProtocolOptions;
  /** How connections to the hosts are made: `envoy.transport_sockets.tls` (UpstreamTlsContext), else plaintext. */
  transport_socket?: TransportSocket;
  transport_socket_matches?: TransportSocketMatch[];
  /** `filter_metadata.istio`: the cluster's services, subset and DestinationRule. */
  metadata?: Metadata;
};

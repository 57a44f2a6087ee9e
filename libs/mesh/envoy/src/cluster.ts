/** `envoy.config.cluster.v3`: Cluster (the CDS resource) and its policies. */
import type { Any, CommonHttpProtocolOptions, ConfigSource, Duration, Http1ProtocolOptions, Http2ProtocolOptions, Metadata, RoutingPriority, SocketAddress, UInt32Value, UpstreamHttpProtocolOptions } from './core';
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
  /** Envoy's `circuit_breakers.<priority>.remaining_*` gauges (istiod: off unless DISABLE_TRACK_REMAINING_CB_METRICS=false). */
  track_remaining?: boolean;
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

/**
 * envoy.config.core.v3.BindConfig: the local address upstream connections are made from. Istio binds
 * inbound (and InboundPassthroughCluster) connections to `127.0.0.6:0`, so the capture rules
 * (`-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN`) let the proxy's own connection to the app pass.
 */
export type BindConfig = { source_address?: SocketAddress };

/**
 * envoy.config.cluster.v3.Filter: an upstream network filter on every connection to the cluster's
 * hosts (istiod: `istio.metadata_exchange` with TcpMetadataExchangeConfig in a TypedStruct).
 */
export type ClusterFilter = { name?: string; typed_config?: Any };

export type Cluster = {
  name?: string;
  /** The name stats use instead of `name` (Envoy's field; the proxy keeps `name`). */
  alt_stat_name?: string;
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
  /** Deprecated in Envoy but still honoured (EnvoyFilter CLUSTER ADD values use it): h2c to the hosts. */
  http2_protocol_options?: Http2ProtocolOptions;
  /** How connections to the hosts are made: `envoy.transport_sockets.tls` (UpstreamTlsContext), else plaintext. */
  transport_socket?: TransportSocket;
  /**
   * Auto mTLS: the first entry whose `match` is a subset of the endpoint's
   * `metadata.filter_metadata["envoy.transport_socket_match"]` gives its socket (Istio: `tlsMode-istio`
   * `{tlsMode: "istio"}` → mTLS, then `tlsMode-disabled` `{}` → raw_buffer for every other endpoint).
   */
  transport_socket_matches?: TransportSocketMatch[];
  upstream_bind_config?: BindConfig;
  /** `filter_metadata.istio`: the cluster's services, subset and DestinationRule. */
  metadata?: Metadata;
  /** Upstream network filters (field 40). */
  filters?: ClusterFilter[];
};

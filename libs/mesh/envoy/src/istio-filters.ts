import type { Duration } from './core';
import type { IstioMetricOverride } from './observability';

/**
 * Istio's own HTTP filter extensions (istio/proxy, protos in istio/api), as istiod writes them beside
 * Envoy's. Today: `istio.alpn`, which makes an HTTP request's upstream TLS connection offer an ALPN
 * for its upstream HTTP protocol instead of the cluster's `alpn_protocols`, so the server sidecar's
 * PERMISSIVE chains can tell HTTP-over-mTLS (`istio-http/1.1`, `istio-h2`) from TCP (`istio-peer-exchange`).
 */

/** The `http_filters[].name` istiod gives it (pilot/pkg/xds/filters `AlpnFilterName`). */
export const ISTIO_ALPN_FILTER_NAME = 'istio.alpn';

/** istio/api envoy/config/filter/http/alpn/v2alpha1/config.proto. */
export const ISTIO_ALPN_TYPE = 'type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig';

/** FilterConfig.Protocol: the upstream HTTP protocol an override is for (HTTP10 = 0, the proto3 default). */
export type AlpnUpstreamProtocol = 'HTTP10' | 'HTTP11' | 'HTTP2';

/** FilterConfig.AlpnOverride: `upstream_protocol` (absent = HTTP10) → the ALPN list to offer. */
export type AlpnOverride = { upstream_protocol?: AlpnUpstreamProtocol; alpn_override?: string[] };

/** istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig. */
export type IstioAlpnFilterConfig = { '@type': typeof ISTIO_ALPN_TYPE; alpn_override?: AlpnOverride[] };

/**
 * Istio's stats filter (istio/proxy source/extensions/filters/http/istio_stats/config.proto,
 * package `stats`): istiod's `istio.stats` (ISTIO_STATS_FILTER_NAME), an HTTP filter before the
 * router in every sidecar and gateway HCM and a network filter before tcp_proxy — the standard
 * metrics (`istio_requests_total`, …). The same message configures both.
 */
export const ISTIO_STATS_TYPE = 'type.googleapis.com/stats.PluginConfig';

/** stats.Reporter: UNSPECIFIED = inferred from the listener direction; SERVER_GATEWAY = a waypoint. */
export type IstioStatsReporter = 'UNSPECIFIED' | 'SERVER_GATEWAY';

/**
 * stats.PluginConfig (field numbers: disable_host_header_fallback 6, tcp_reporting_duration 7,
 * metrics 8 (MetricConfig: dimensions 1, name 2, tags_to_remove 3, match 4, drop 5), definitions 9,
 * reporter 10, rescoping_duration 11, scope_grace_period_duration 12).
 */
export type IstioStatsConfig = {
  '@type': typeof ISTIO_STATS_TYPE;
  disable_host_header_fallback?: boolean;
  tcp_reporting_duration?: Duration;
  metrics?: IstioMetricOverride[];
  definitions?: { name?: string; value?: string; type?: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' }[];
  reporter?: IstioStatsReporter;
};

/** istiod's metadata exchange filter name (pilot/pkg/xds/filters `MxFilterName`), HTTP and TCP. */
export const ISTIO_MX_FILTER_NAME = 'istio.metadata_exchange';

/**
 * istio/proxy's io.istio.http.peer_metadata.Config: istiod sends it only inside a TypedStruct (its
 * `type_url` is `type.googleapis.com/` + this name), so the proto is not in the xDS root.
 */
export const ISTIO_PEER_METADATA_MESSAGE = 'io.istio.http.peer_metadata.Config';

/** A discovery or propagation method of peer_metadata.Config (`istio_headers` = x-envoy-peer-metadata[-id]). */
export type PeerMetadataMethod = { istio_headers?: { skip_external_clusters?: boolean }; workload_discovery?: Record<string, never> };

/** io.istio.http.peer_metadata.Config: inbound reads the downstream's headers and answers with its own; outbound sends its own upstream. */
export type PeerMetadataConfig = {
  '@type': `type.googleapis.com/${typeof ISTIO_PEER_METADATA_MESSAGE}`;
  downstream_discovery?: PeerMetadataMethod[];
  upstream_discovery?: PeerMetadataMethod[];
  downstream_propagation?: PeerMetadataMethod[];
  upstream_propagation?: PeerMetadataMethod[];
  additional_labels?: string[];
};

/**
 * istio/proxy's TCP metadata exchange (source/extensions/filters/network/metadata_exchange):
 * `envoy.tcp.metadataexchange.config.MetadataExchange`, which istiod sends only inside a TypedStruct
 * (its `type_url` is `type.googleapis.com/` + this name), so the proto is not in the xDS root. The
 * same message configures the downstream network filter istiod puts first on inbound chains and the
 * upstream network filter it puts in every outbound Cluster's `filters` (both named
 * ISTIO_MX_FILTER_NAME). When the connection's negotiated ALPN is `protocol`, each side writes
 * `{magic 0x3D230467, data_size}` (network byte order) and a google.protobuf.Any of a Struct
 * { x-envoy-peer-metadata: <node metadata>, x-envoy-peer-metadata-id: <node id> } first, and strips
 * the peer's before the bytes reach the other filters.
 */
export const ISTIO_TCP_MX_MESSAGE = 'envoy.tcp.metadataexchange.config.MetadataExchange';

/** The ALPN istiod's exchange filters expect (`protocol`), offered first by Istio's mTLS clients. */
export const ISTIO_PEER_EXCHANGE_ALPN = 'istio-peer-exchange';

/** envoy.tcp.metadataexchange.config.MetadataExchange (protocol 1, enable_discovery 2; istiod adds additional_labels). */
export type TcpMetadataExchangeConfig = {
  '@type': `type.googleapis.com/${typeof ISTIO_TCP_MX_MESSAGE}`;
  protocol?: string;
  enable_discovery?: boolean;
  additional_labels?: string[];
};

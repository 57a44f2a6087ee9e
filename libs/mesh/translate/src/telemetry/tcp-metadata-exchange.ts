import {
  ISTIO_MX_FILTER_NAME,
  ISTIO_PEER_EXCHANGE_ALPN,
  ISTIO_TCP_MX_MESSAGE,
  TYPE_PREFIX,
  UDPA_TYPED_STRUCT_TYPE,
  type ClusterFilter,
  type NetworkFilter,
} from '@trellis/mesh-envoy';

/**
 * istiod's TCP metadata exchange filters (pilot/pkg/xds/filters TCPListenerMx / TCPClusterMx):
 * envoy.tcp.metadataexchange.config.MetadataExchange {protocol: istio-peer-exchange,
 * enable_discovery: true} in a TypedStruct, named `istio.metadata_exchange` — first on every inbound
 * TCP chain (buildInboundNetworkFilters), and as the upstream network filter of every outbound
 * cluster and PassthroughCluster (ClusterBuilder.applyMetadataExchange). It only acts on connections
 * that negotiated ALPN `istio-peer-exchange` (Istio's mTLS TCP), where it tells each side's TCP
 * metrics the other's workload.
 */
const value = { protocol: ISTIO_PEER_EXCHANGE_ALPN, enable_discovery: true };
const typedConfig = { '@type': UDPA_TYPED_STRUCT_TYPE, type_url: `${TYPE_PREFIX}${ISTIO_TCP_MX_MESSAGE}`, value };

/** The downstream exchange, before the inbound chain's other network filters. */
export function tcpListenerMetadataExchange(): NetworkFilter {
  return { name: ISTIO_MX_FILTER_NAME, typed_config: typedConfig as unknown as NetworkFilter['typed_config'] };
}

/** The upstream exchange, in a Cluster's `filters`. */
export function tcpClusterMetadataExchange(): ClusterFilter {
  return { name: ISTIO_MX_FILTER_NAME, typed_config: typedConfig as unknown as ClusterFilter['typed_config'] };
}

import {
  ISTIO_MX_FILTER_NAME,
  ISTIO_PEER_METADATA_MESSAGE,
  ISTIO_STATS_FILTER_NAME,
  ISTIO_STATS_TYPE,
  TYPE_PREFIX,
  UDPA_TYPED_STRUCT_TYPE,
  type HttpFilter,
  type IstioMetricOverride,
  type IstioStatsConfig,
  type NetworkFilter,
} from '@trellis/mesh-envoy';

/**
 * Istio's metrics filters as istiod writes them (pilot/pkg/model/telemetry.go generateStatsConfig,
 * pilot/pkg/xds/filters SidecarInbound/OutboundMetadataFilter): `istio.stats` before the router in
 * every sidecar and gateway HCM and before tcp_proxy, and `istio.metadata_exchange` first in every
 * HCM. Metrics are always on (Istio's default Prometheus provider); the Telemetry API's overrides
 * (`telemetryMetricOverrides`) become `metrics`. `disable_host_header_fallback` on sidecar inbound and
 * gateways; the reporter stays UNSPECIFIED (SERVER_GATEWAY is istiod's waypoint value), so a gateway
 * reports `source` from its listener direction, as in Istio.
 */
export type ListenerClass = 'inbound' | 'outbound' | 'gateway';

/** stats.PluginConfig for a listener class, with the Telemetry API's overrides (if any). */
export function istioStatsConfig(cls: ListenerClass, metrics: readonly IstioMetricOverride[] = []): IstioStatsConfig {
  return {
    '@type': ISTIO_STATS_TYPE,
    ...(cls !== 'outbound' && { disable_host_header_fallback: true }),
    ...(metrics.length > 0 && { metrics: [...metrics] }),
  };
}

export function istioStatsHttpFilter(cls: ListenerClass, metrics: readonly IstioMetricOverride[] = []): HttpFilter {
  return { name: ISTIO_STATS_FILTER_NAME, typed_config: istioStatsConfig(cls, metrics) };
}

export function istioStatsNetworkFilter(cls: ListenerClass, metrics: readonly IstioMetricOverride[] = []): NetworkFilter {
  return { name: ISTIO_STATS_FILTER_NAME, typed_config: istioStatsConfig(cls, metrics) as unknown as NetworkFilter['typed_config'] };
}

const ISTIO_HEADERS = [{ istio_headers: {} }, { workload_discovery: {} }];

/** istio.metadata_exchange (io.istio.http.peer_metadata.Config in a TypedStruct, as istiod sends it). */
export function peerMetadataFilter(cls: ListenerClass): HttpFilter {
  const value =
    cls === 'inbound'
      ? { downstream_discovery: ISTIO_HEADERS, downstream_propagation: [{ istio_headers: {} }] }
      : { upstream_discovery: ISTIO_HEADERS, upstream_propagation: [{ istio_headers: {} }] };
  return {
    name: ISTIO_MX_FILTER_NAME,
    typed_config: { '@type': UDPA_TYPED_STRUCT_TYPE, type_url: `${TYPE_PREFIX}${ISTIO_PEER_METADATA_MESSAGE}`, value } as unknown as HttpFilter['typed_config'],
  };
}

/** The Telemetry API's metric overrides set on every istio.stats filter of a listener side (HTTP and TCP). */
export function withMetricOverrides<F extends { name?: string; typed_config?: unknown }>(filter: F, metrics: readonly IstioMetricOverride[]): F {
  if (filter.name !== ISTIO_STATS_FILTER_NAME || metrics.length === 0) return filter;
  const config = filter.typed_config as IstioStatsConfig;
  return { ...filter, typed_config: { ...config, metrics: [...metrics] } };
}

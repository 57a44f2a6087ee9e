import type { HttpConnectionManager, Listener, NetworkFilter, XdsResources } from '@trellis/mesh-envoy';
import { bookinfoSnapshot, sidecarProxy } from '../testing/bookinfo';
import { translate } from '../translate';
import { istioStatsConfig, peerMetadataFilter, withMetricOverrides } from './stats-filter';

const hcmOf = (f: NetworkFilter | undefined): HttpConnectionManager | undefined => f?.typed_config as unknown as HttpConnectionManager | undefined;

function everyChain(r: XdsResources, direction: Listener['traffic_direction']): { listener: string; filters: NetworkFilter[] }[] {
  return r.listeners.filter((l) => l.traffic_direction === direction).flatMap((l) => (l.filter_chains ?? []).map((c) => ({ listener: l.name ?? '', filters: c.filters ?? [] })));
}

describe('Istio metrics filters in listeners (always on, as istiod)', () => {
  const r = translate(bookinfoSnapshot(), sidecarProxy('reviews-v1'));

  it('every HCM: istio.metadata_exchange first, istio.stats right before the router; inbound without host header fallback', () => {
    for (const [direction, cls] of [['OUTBOUND', 'outbound'], ['INBOUND', 'inbound']] as const) {
      const hcms = everyChain(r, direction).map((c) => hcmOf(c.filters.find((f) => f.name === 'envoy.filters.network.http_connection_manager'))).filter((h) => h !== undefined);
      expect(hcms.length).toBeGreaterThan(0);
      for (const h of hcms) {
        const names = (h?.http_filters ?? []).map((f) => f.name);
        expect(names[0]).toBe('istio.metadata_exchange');
        expect(names.slice(-2)).toEqual(['istio.stats', 'envoy.filters.http.router']);
        expect(h?.http_filters?.at(-2)?.typed_config).toEqual(istioStatsConfig(cls));
        expect(h?.http_filters?.[0]).toEqual(peerMetadataFilter(cls));
      }
    }
    expect(istioStatsConfig('inbound')).toEqual({ '@type': 'type.googleapis.com/stats.PluginConfig', disable_host_header_fallback: true });
    expect(istioStatsConfig('outbound')).toEqual({ '@type': 'type.googleapis.com/stats.PluginConfig' });
  });

  it('every tcp_proxy has istio.stats right before it', () => {
    const tcp = [...everyChain(r, 'INBOUND'), ...everyChain(r, 'OUTBOUND')].filter((c) => c.filters.some((f) => f.name === 'envoy.filters.network.tcp_proxy'));
    expect(tcp.length).toBeGreaterThan(0);
    for (const c of tcp) expect(c.filters.map((f) => f.name).slice(-2)).toEqual(['istio.stats', 'envoy.filters.network.tcp_proxy']);
  });

  it('inbound MX discovers the downstream and answers it; outbound sends upstream and reads the response', () => {
    const value = (cls: 'inbound' | 'outbound'): unknown => (peerMetadataFilter(cls).typed_config as unknown as { value: unknown }).value;
    expect(value('inbound')).toEqual({ downstream_discovery: [{ istio_headers: {} }, { workload_discovery: {} }], downstream_propagation: [{ istio_headers: {} }] });
    expect(value('outbound')).toEqual({ upstream_discovery: [{ istio_headers: {} }, { workload_discovery: {} }], upstream_propagation: [{ istio_headers: {} }] });
  });

  it('Telemetry API overrides become metrics on istio.stats only', () => {
    const f = { name: 'istio.stats', typed_config: istioStatsConfig('outbound') };
    expect(withMetricOverrides(f, [{ name: 'requests_total', drop: true }]).typed_config).toEqual({ ...istioStatsConfig('outbound'), metrics: [{ name: 'requests_total', drop: true }] });
    const other = { name: 'envoy.filters.http.router' };
    expect(withMetricOverrides(other, [{ drop: true }])).toBe(other);
  });
});

import type { HttpConnectionManager, Listener, XdsResources } from '@trellis/mesh-envoy';
import { translate } from './index';
import { GATEWAY_PROXY, bookinfoGateway, bookinfoVirtualService, bookinfoWithAutoPort, sidecarProxy } from './testing/bookinfo';

/** Golden: istiod's `istio.alpn` HTTP filter (pilot/pkg/xds/filters `Alpn`), as it packs it. */
const ISTIO_ALPN = {
  name: 'istio.alpn',
  typed_config: {
    '@type': 'type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig',
    alpn_override: [
      { upstream_protocol: 'HTTP10', alpn_override: ['istio-http/1.0', 'istio', 'http/1.0'] },
      { upstream_protocol: 'HTTP11', alpn_override: ['istio-http/1.1', 'istio', 'http/1.1'] },
      { upstream_protocol: 'HTTP2', alpn_override: ['istio-h2', 'istio', 'h2'] },
    ],
  },
};
const FAULT = { name: 'envoy.filters.http.fault', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault' } };
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } };

const snapshot = bookinfoWithAutoPort;

/** Each HCM of each listener: `<listener> <chain index>` → its http_filters. */
function httpFilters(r: XdsResources, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const l of r.listeners.filter((x: Listener) => names.includes(x.name ?? ''))) {
    (l.filter_chains ?? []).forEach((c, i) => {
      const hcm = c.filters?.[0]?.typed_config as HttpConnectionManager | undefined;
      // The telemetry filters (istio.metadata_exchange first, istio.stats before the router) are telemetry/stats-filter.test.ts's.
      if (hcm?.http_filters !== undefined) out[`${l.name} ${i}`] = hcm.http_filters.filter((f) => f.name !== 'istio.metadata_exchange' && f.name !== 'istio.stats');
    });
  }
  return out;
}

const OUTBOUND = ['0.0.0.0_9080', '0.0.0.0_8000', '10.96.0.40_8000', 'virtualOutbound'];

describe('istio.alpn (TranslateOptions.mtls)', () => {
  it('sidecar outbound HCMs carry it before fault and router: per-port, the undeclared port HTTP chain, virtualOutbound', () => {
    const r = translate(snapshot(), sidecarProxy('productpage-v1', { interception: 'REDIRECT' }), { mtls: true });
    expect(httpFilters(r, OUTBOUND)).toEqual({
      '0.0.0.0_8000 0': [ISTIO_ALPN, FAULT, ROUTER],
      '0.0.0.0_9080 0': [ISTIO_ALPN, FAULT, ROUTER],
      '10.96.0.40_8000 0': [ISTIO_ALPN, FAULT, ROUTER],
      'virtualOutbound 0': [ISTIO_ALPN, ROUTER],
    });
  });

  it('sidecar inbound HCMs never carry it (Istio: not for ListenerClassSidecarInbound)', () => {
    const r = translate(snapshot(), sidecarProxy('productpage-v1', { interception: 'REDIRECT' }), { mtls: true });
    const inbound = Object.values(httpFilters(r, ['virtualInbound'])) as { name: string }[][];
    expect(inbound.length).toBeGreaterThan(0);
    expect(inbound.flat().map((f) => f.name)).not.toContain('istio.alpn');
  });

  it('gateway HCMs carry it too (Istio: every HCM but sidecar inbound), so gateway → sidecar mTLS offers istio-http/*', () => {
    const withGateway = { ...snapshot(), gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] };
    const r = translate(withGateway, GATEWAY_PROXY, { mtls: true });
    const hcms = Object.values(httpFilters(r, r.listeners.map((l) => l.name ?? ''))) as { name: string }[][];
    expect(hcms.length).toBeGreaterThan(0);
    for (const filters of hcms) expect(filters[0]?.name).toBe('istio.alpn');
    const off = Object.values(httpFilters(translate(withGateway, GATEWAY_PROXY), r.listeners.map((l) => l.name ?? ''))) as { name: string }[][];
    expect(off.flat().map((f) => f.name)).not.toContain('istio.alpn');
  });

  it('mTLS off: no HCM carries it (the output is as before mTLS)', () => {
    const r = translate(snapshot(), sidecarProxy('productpage-v1', { interception: 'REDIRECT' }));
    expect(httpFilters(r, OUTBOUND)).toEqual({
      '0.0.0.0_8000 0': [FAULT, ROUTER],
      '0.0.0.0_9080 0': [FAULT, ROUTER],
      '10.96.0.40_8000 0': [FAULT, ROUTER],
      'virtualOutbound 0': [ROUTER],
    });
  });
});

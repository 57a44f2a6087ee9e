import { HCM_FILTER_NAME, type HttpConnectionManager, type Listener } from '@trellis/mesh-envoy';
import { translate } from './index';
import { GATEWAY_PROXY, bookinfoGateway, bookinfoSnapshot, bookinfoVirtualService, sidecarProxy } from './testing/bookinfo';

/** istiod's GetProxyHeaders: server_name istio-envoy on inbound and gateway HCMs; sidecar outbound keeps Envoy's `envoy`. */
const serverNames = (listeners: readonly Listener[], direction: 'INBOUND' | 'OUTBOUND' | undefined): unknown[] => [
  ...new Set(
    listeners
      .filter((l) => direction === undefined || l.traffic_direction === direction)
      .flatMap((l) => l.filter_chains ?? [])
      .flatMap((c) => c.filters ?? [])
      .filter((f) => f.name === HCM_FILTER_NAME)
      .map((f) => (f.typed_config as unknown as HttpConnectionManager).server_name),
  ),
];

describe('server_name', () => {
  it('istio-envoy on sidecar inbound and gateway HCMs, unset (envoy) on sidecar outbound', () => {
    const side = translate(bookinfoSnapshot(), sidecarProxy('productpage-v1'));
    expect(serverNames(side.listeners, 'INBOUND')).toEqual(['istio-envoy']);
    expect(serverNames(side.listeners, 'OUTBOUND')).toEqual([undefined]);
    const gw = translate(bookinfoSnapshot({ gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] }), GATEWAY_PROXY);
    expect(serverNames(gw.listeners, undefined)).toEqual(['istio-envoy']);
  });
});

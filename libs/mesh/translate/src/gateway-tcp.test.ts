import type { DestinationRule, Gateway, MeshService, VirtualService } from '@trellis/mesh-api';
import { TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import { translate } from './index';
import { GATEWAY_PROXY, NS, bookinfoGateway, bookinfoSnapshot, cluster } from './testing/bookinfo';

/** Istio's tcp-traffic-shifting task through the ingress gateway (samples/tcp-echo), translated. */
const tcpEcho: MeshService = {
  name: 'tcp-echo',
  namespace: NS,
  hostname: `tcp-echo.${NS}.svc.cluster.local`,
  ports: [{ name: 'tcp', port: 9000, targetPort: 9000, protocol: 'TCP' }],
  selector: { app: 'tcp-echo' },
};
const gateway: Gateway = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'tcp-echo-gateway', namespace: NS },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] }] },
};
const rule: DestinationRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'tcp-echo-destination', namespace: NS },
  spec: { host: 'tcp-echo', subsets: ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })) },
};
const shift = (v1: number): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'tcp-echo', namespace: NS },
  spec: {
    hosts: ['*'],
    gateways: ['tcp-echo-gateway'],
    tcp: [{ match: [{ port: 31400 }], route: [{ destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v1' }, weight: v1 }, { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v2' }, weight: 100 - v1 }] }],
  },
});

function gatewayConfig(virtualServices: VirtualService[]): ReturnType<typeof translate> {
  const base = bookinfoSnapshot();
  const snapshot = { ...base, services: [...base.services, tcpEcho], gateways: [bookinfoGateway, gateway], destinationRules: [rule], virtualServices };
  return translate(snapshot, GATEWAY_PROXY);
}
const gatewayListeners = (virtualServices: VirtualService[]): ReturnType<typeof translate>['listeners'] => gatewayConfig(virtualServices).listeners;

describe('gateway TCP servers', () => {
  it('a TCP server with a bound tcp route becomes a tcp_proxy listener, weighted 80/20 by subset', () => {
    const listener = gatewayListeners([shift(80)]).find((l) => l.name === '0.0.0.0_31400');
    expect(listener?.filter_chains?.[0]?.filters?.[1]).toEqual({
      name: 'envoy.filters.network.tcp_proxy',
      typed_config: {
        '@type': TCP_PROXY_TYPE,
        stat_prefix: cluster('tcp-echo', 'v1', 9000),
        weighted_clusters: { clusters: [{ name: cluster('tcp-echo', 'v1', 9000), weight: 80 }, { name: cluster('tcp-echo', 'v2', 9000), weight: 20 }] },
      },
    });
    const clusters = gatewayConfig([shift(80)]).clusters.map((c) => c.name);
    expect(clusters).toEqual(expect.arrayContaining([cluster('tcp-echo', 'v1', 9000), cluster('tcp-echo', 'v2', 9000)]));
  });

  it('100/0 is a single cluster; no bound route, no listener; HTTP ports are unchanged', () => {
    const all = gatewayListeners([shift(100)]);
    expect(all.find((l) => l.name === '0.0.0.0_31400')?.filter_chains?.[0]?.filters?.[1]?.typed_config).toMatchObject({ cluster: cluster('tcp-echo', 'v1', 9000) });
    expect(all.map((l) => l.name).sort()).toEqual(['0.0.0.0_31400', '0.0.0.0_8080']);
    expect(gatewayListeners([]).map((l) => l.name)).toEqual(['0.0.0.0_8080']);
  });
});

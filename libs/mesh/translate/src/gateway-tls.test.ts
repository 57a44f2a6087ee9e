import type { Gateway, MeshService, VirtualService } from '@trellis/mesh-api';
import { TCP_PROXY_TYPE, TLS_INSPECTOR_TYPE } from '@trellis/mesh-envoy';
import { translate } from './index';
import { GATEWAY_PROXY, NS, bookinfoSnapshot } from './testing/bookinfo';

/** Istio's ingress-sni-passthrough task: the gateway routes TLS by SNI without terminating it. */
const nginx: MeshService = {
  name: 'my-nginx',
  namespace: NS,
  hostname: `my-nginx.${NS}.svc.cluster.local`,
  ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'HTTPS' }],
  selector: { run: 'my-nginx' },
};
const ingress: MeshService = {
  name: 'istio-ingressgateway',
  namespace: 'istio-system',
  hostname: 'istio-ingressgateway.istio-system.svc.cluster.local',
  ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'HTTPS' }],
  selector: { istio: 'ingressgateway' },
};
const gateway: Gateway = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'mygateway', namespace: NS },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['nginx.example.com'] }] },
};
const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'nginx', namespace: NS },
  spec: {
    hosts: ['nginx.example.com'],
    gateways: ['mygateway'],
    tls: [{ match: [{ port: 443, sniHosts: ['nginx.example.com'] }], route: [{ destination: { host: 'my-nginx', port: { number: 443 } } }] }],
  },
};

function gatewayListeners(virtualServices: VirtualService[]): ReturnType<typeof translate>['listeners'] {
  const base = bookinfoSnapshot();
  return translate({ ...base, services: [...base.services, nginx, ingress], gateways: [gateway], virtualServices }, GATEWAY_PROXY).listeners;
}

describe('gateway TLS PASSTHROUGH', () => {
  it('port 443 → the pod port 8443, tls_inspector, one chain per SNI host with a tcp_proxy to the route destination', () => {
    const [l] = gatewayListeners([vs]);
    expect(l).toEqual({
      name: '0.0.0.0_8443',
      address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
      traffic_direction: 'OUTBOUND',
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE } }],
      filter_chains: [
        {
          filter_chain_match: { server_names: ['nginx.example.com'] },
          filters: [
            { name: 'istio.stats', typed_config: { '@type': 'type.googleapis.com/stats.PluginConfig', disable_host_header_fallback: true } },
            {
              name: 'envoy.filters.network.tcp_proxy',
              typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: 'outbound|443||my-nginx.default.svc.cluster.local', cluster: 'outbound|443||my-nginx.default.svc.cluster.local' },
            },
          ],
        },
      ],
    });
  });

  it('no bound tls route, no listener', () => {
    expect(gatewayListeners([])).toEqual([]);
  });
});

import type { Gateway, MeshService } from '@trellis/mesh-api';
import type { HttpConnectionManager } from '@trellis/mesh-envoy';
import { translate } from './index';
import { GATEWAY_PROXY, NS, bookinfoSnapshot, bookinfoVirtualService } from './testing/bookinfo';

/** Istio's mapping: a Gateway server's port is the gateway Service's port; the pod listens on its targetPort. */
const ingressService: MeshService = {
  name: 'istio-ingressgateway',
  namespace: 'istio-system',
  hostname: 'istio-ingressgateway.istio-system.svc.cluster.local',
  ports: [
    { name: 'http2', port: 80, targetPort: 8080, protocol: 'HTTP' },
    { name: 'https', port: 443, targetPort: 8443, protocol: 'HTTPS' },
  ],
  selector: { istio: 'ingressgateway' },
};
const gatewayOn = (port: number): Gateway => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: NS },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: port, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
});

function gatewayConfig(port: number, services: MeshService[]): ReturnType<typeof translate> {
  const base = bookinfoSnapshot();
  return translate({ ...base, services: [...base.services, ...services], gateways: [gatewayOn(port)], virtualServices: [bookinfoVirtualService] }, GATEWAY_PROXY);
}
const rdsOf = (r: ReturnType<typeof translate>): string | undefined =>
  (r.listeners[0]?.filter_chains?.[0]?.filters?.[0]?.typed_config as HttpConnectionManager | undefined)?.rds?.route_config_name;

describe('gateway server ports as Istio maps them', () => {
  it('port 80 binds the Service port 80 targetPort 8080: listener 0.0.0.0_8080, RDS http.8080', () => {
    const r = gatewayConfig(80, [ingressService]);
    expect(r.listeners.map((l) => l.name)).toEqual(['0.0.0.0_8080']);
    expect(r.listeners[0]?.address?.socket_address?.port_value).toBe(8080);
    expect(rdsOf(r)).toBe('http.8080');
    expect(r.routes.map((x) => x.name)).toEqual(['http.8080']);
    expect(r.routes[0]?.virtual_hosts?.[0]?.domains).toEqual(['*']);
  });

  it('a port no gateway Service declares (the sample writes 8080), or no Service at all, is bound as written', () => {
    expect(gatewayConfig(8080, [ingressService]).listeners.map((l) => l.name)).toEqual(['0.0.0.0_8080']);
    expect(gatewayConfig(80, []).listeners.map((l) => l.name)).toEqual(['0.0.0.0_80']);
  });
});

import type { GatewayDeployment } from '@trellis/mesh-gateway-api';
import { gatewayApiPod, gatewayApiService, gatewayApiWorkload, portsKey } from './gateway-api-pods';

const D: GatewayDeployment = {
  namespace: 'default',
  name: 'bookinfo-gateway',
  serviceName: 'bookinfo-gateway-istio',
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  labels: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' },
};

describe('local Gateway API pods', () => {
  it('labels the pod as Istio deploys it and names it after its Service', () => {
    const pod = gatewayApiPod(D, '127.0.10.30');
    expect(pod.name).toMatch(/^bookinfo-gateway-istio-[a-z0-9]+-[a-z0-9]+$/);
    expect(pod).toMatchObject({ namespace: 'default', ip: '127.0.10.30', serviceAccount: 'bookinfo-gateway-istio' });
    expect(pod.labels).toMatchObject({ 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'istio.io/gateway-name': 'bookinfo-gateway', 'sidecar.istio.io/inject': 'false' });
    expect(gatewayApiWorkload(pod)).toEqual({ name: pod.name, namespace: 'default', address: '127.0.10.30', labels: pod.labels, serviceAccount: 'bookinfo-gateway-istio', sidecar: false, ready: true });
  });

  it('registers Service <gateway>-istio at the pod address with the status port and the listener ports', () => {
    expect(gatewayApiService(D, '127.0.10.30', 'cluster.local')).toEqual({
      name: 'bookinfo-gateway-istio',
      namespace: 'default',
      hostname: 'bookinfo-gateway-istio.default.svc.cluster.local',
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'AUTO' },
        { name: 'http', port: 80, targetPort: 80, protocol: 'HTTP' },
      ],
      selector: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' },
      labels: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'gateway.istio.io/managed': 'istio.io-gateway-controller' },
      address: '127.0.10.30',
    });
    expect(portsKey(D)).toBe('http:80');
  });
});

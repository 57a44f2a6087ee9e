import { hasSidecar } from './convert';
import type { KubePod } from './k8s-types';

const pod = (labels: Record<string, string>, annotations: Record<string, string> = {}): KubePod =>
  ({ metadata: { name: 'p', namespace: 'default', labels, annotations }, spec: { containers: [{ name: 'istio-proxy' }] } }) as unknown as KubePod;

describe('hasSidecar', () => {
  it('an injected pod has a sidecar; a gateway pod (inject false, its own istio-proxy) does not, so clients send it plaintext', () => {
    expect(hasSidecar(pod({ app: 'reviews' }, { 'sidecar.istio.io/status': '{}' }))).toBe(true);
    expect(hasSidecar(pod({ app: 'reviews' }))).toBe(true);
    expect(hasSidecar(pod({ 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'sidecar.istio.io/inject': 'false' }))).toBe(false);
    expect(hasSidecar(pod({ istio: 'ingressgateway', 'sidecar.istio.io/inject': 'false' }))).toBe(false);
  });
});

import { analyzeOverlay, formatMessage } from '@trellis/mesh-api';
import { analyzeGatewayApi } from './analyze';
import { bookinfoServices, sample } from './testing/fixture';

describe('analyzeGatewayApi (trellis analyze over the Gateway API)', () => {
  it('finds nothing in the samples', () => {
    expect(analyzeGatewayApi(sample('gateway-api/bookinfo-gateway.yaml', 'gateway-api/route-all-v1.yaml'), bookinfoServices())).toEqual([]);
  });

  it('reports missing backends and parents as IST0101, overlaid on the stored config', () => {
    const messages = analyzeOverlay({
      stored: sample('gateway-api/bookinfo-gateway.yaml'),
      submitted: [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews' }, spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules: [{ backendRefs: [{ name: 'reviews-v9', port: 9080 }] }] } },
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'lost' }, spec: { parentRefs: [{ name: 'no-such-gateway' }] } },
      ],
      namespace: 'default',
      services: bookinfoServices(),
      analyzers: [analyzeGatewayApi],
    });
    expect(messages.map(formatMessage)).toEqual([
      'Error [IST0101] (HTTPRoute default/lost) Referenced gateway not found: "default/no-such-gateway"',
      'Error [IST0101] (HTTPRoute default/reviews) Referenced service not found: "reviews-v9.default.svc.cluster.local"',
    ]);
  });
});

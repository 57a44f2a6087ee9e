import type { MeshService } from '@trellis/mesh-api';
import { translate } from './translate';
import { SERVICES, bookinfoSnapshot, sidecarProxy } from './testing/bookinfo';

// istiod's inbound cluster for a gRPC / HTTP2 port speaks h2c to the app (a grpc-js server answers
// nothing else); HTTP/1.1 ports stay as they are. Found with Istio's samples/ratelimit (grpc-port 8081).
describe('inbound clusters of gRPC ports', () => {
  it('inbound|8081|| gets explicit HTTP/2, inbound|9080|| does not', () => {
    const grpc: MeshService = {
      name: 'productpage-grpc', namespace: 'default', hostname: 'productpage-grpc.default.svc.cluster.local',
      ports: [{ name: 'grpc-port', port: 8081, targetPort: 8081, protocol: 'GRPC' }], selector: { app: 'productpage' },
    };
    const snapshot = { ...bookinfoSnapshot(), services: [...SERVICES, grpc] };
    const clusters = translate(snapshot, sidecarProxy('productpage-v1')).clusters;
    const options = (name: string): unknown => clusters.find((c) => c.name === name)?.typed_extension_protocol_options;
    expect(options('inbound|8081||')).toEqual({ 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions', explicit_http_config: { http2_protocol_options: {} } } });
    expect(options('inbound|9080||')).toBeUndefined();
  });
});

import { proxyInfoFromNode } from './node-info';

describe('proxyInfoFromNode', () => {
  it('parses an Istio sidecar node id and metadata', () => {
    expect(
      proxyInfoFromNode({
        id: 'sidecar~10.1.2.3~reviews-v1-abc-def.default~default.svc.cluster.local',
        metadata: {
          LABELS: { app: 'reviews', version: 'v1' },
          SERVICE_ACCOUNT: 'bookinfo-reviews',
          INTERCEPTION_MODE: 'NONE',
          TRELLIS_APP_ENDPOINTS: '{"9080":"127.0.0.1:41234"}',
        },
      }),
    ).toEqual({
      id: 'sidecar~10.1.2.3~reviews-v1-abc-def.default~default.svc.cluster.local',
      type: 'sidecar',
      ipAddress: '10.1.2.3',
      workloadName: 'reviews-v1-abc-def',
      namespace: 'default',
      labels: { app: 'reviews', version: 'v1' },
      serviceAccount: 'bookinfo-reviews',
      generator: 'envoy',
      interception: 'NONE',
      appEndpoints: { '9080': '127.0.0.1:41234' },
    });
  });

  it('parses a router node, prefers metadata and defaults to REDIRECT', () => {
    const info = proxyInfoFromNode({
      id: 'router~10.0.0.5~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local',
      metadata: { NAME: 'gw-pod', NAMESPACE: 'istio-system' },
    });
    expect(info).toMatchObject({ type: 'router', workloadName: 'gw-pod', namespace: 'istio-system', interception: 'REDIRECT', labels: {} });
  });

  it('recognises proxyless gRPC clients and non-Istio ids', () => {
    expect(proxyInfoFromNode({ id: 'client-1', metadata: { GENERATOR: 'grpc', INSTANCE_IPS: '10.9.9.9,fd00::1' } })).toMatchObject({
      generator: 'grpc',
      ipAddress: '10.9.9.9',
      workloadName: 'client-1',
      namespace: 'default',
    });
    expect(proxyInfoFromNode({ id: 'x', user_agent_name: 'gRPC Node Pure JS' }).generator).toBe('grpc');
  });

  it('rejects a node without id and malformed metadata with stable codes', () => {
    expect(() => proxyInfoFromNode(undefined)).toThrow(expect.objectContaining({ code: 'XDS_NODE_ID_MISSING' }));
    expect(() => proxyInfoFromNode({ id: '' })).toThrow(expect.objectContaining({ code: 'XDS_NODE_ID_MISSING' }));
    expect(() => proxyInfoFromNode({ id: 'a', metadata: { TRELLIS_APP_ENDPOINTS: '{nope' } })).toThrow(
      expect.objectContaining({ code: 'XDS_NODE_METADATA_INVALID' }),
    );
    expect(() => proxyInfoFromNode({ id: 'a', metadata: { LABELS: { app: 3 } } })).toThrow(expect.objectContaining({ code: 'XDS_NODE_METADATA_INVALID' }));
  });
});

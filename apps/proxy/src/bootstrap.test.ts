import { proxyInfoFromNode } from '@trellis/mesh-xds';
import { PROXY_VERSION, bindOverride, xdsNode } from './bootstrap';
import { readConfig } from './config';

const sidecar = readConfig(
  [
    '--ip', '127.0.10.12',
    '--pod-name', 'reviews-v2-7d79d5bd5d-8zzqd',
    '--labels', 'app=reviews,version=v2',
    '--service-account', 'bookinfo-reviews',
    '--interception', 'NONE',
    '--app-endpoints', '9080=127.0.10.12:19080',
  ],
  {},
);

describe('xdsNode', () => {
  it('announces the sidecar with Istio’s node id and metadata', () => {
    expect(xdsNode(sidecar)).toEqual({
      id: 'sidecar~127.0.10.12~reviews-v2-7d79d5bd5d-8zzqd.default~default.svc.cluster.local',
      cluster: 'reviews.default',
      user_agent_name: 'trellis-proxy',
      metadata: {
        NAME: 'reviews-v2-7d79d5bd5d-8zzqd',
        NAMESPACE: 'default',
        LABELS: { app: 'reviews', version: 'v2' },
        SERVICE_ACCOUNT: 'bookinfo-reviews',
        INSTANCE_IPS: '127.0.10.12',
        INTERCEPTION_MODE: 'NONE',
        ISTIO_VERSION: PROXY_VERSION,
        CLUSTER_ID: 'Kubernetes',
        TRELLIS_APP_ENDPOINTS: '{"9080":"127.0.10.12:19080"}',
      },
    });
  });

  it('names the cluster after the pod when there is no app label, and istio-ingressgateway.<ns> for routers', () => {
    expect(xdsNode(readConfig(['--pod-name', 'job-1', '--namespace', 'batch'], {})).cluster).toBe('job-1.batch');
    const gateway = xdsNode(readConfig(['--mode', 'router', '--ip', '127.0.10.2', '--pod-name', 'istio-ingressgateway-0', '--namespace', 'istio-system'], {}));
    expect(gateway.cluster).toBe('istio-ingressgateway.istio-system');
    expect(gateway.id).toBe('router~127.0.10.2~istio-ingressgateway-0.istio-system~istio-system.svc.cluster.local');
  });

  it('passes PROXY_CONFIG on as node metadata, read back as the proxy\'s tracing overrides', () => {
    const node = xdsNode(readConfig(['--pod-name', 'reviews-v1-abc-def', '--namespace', 'default'], { PROXY_CONFIG: '{"tracing":{"sampling":50}}' }));
    expect(node.metadata?.['PROXY_CONFIG']).toBe('{"tracing":{"sampling":50}}');
    expect(proxyInfoFromNode(node).proxyConfig).toEqual({ tracing: { sampling: 50 } });
  });

  it('passes ISTIO_META_* on as node metadata without the prefix (pilot-agent), HTTP10=1 read back as http10', () => {
    const env = { ISTIO_META_HTTP10: '1', ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_NAME: 'spoofed', ISTIO_META_: 'x' };
    const node = xdsNode(readConfig(['--pod-name', 'legacy-v1-abc-def', '--namespace', 'default'], env));
    expect(node.metadata).toMatchObject({ HTTP10: '1', DNS_CAPTURE: 'true', NAME: 'legacy-v1-abc-def' });
    expect(node.metadata).not.toHaveProperty('');
    expect(proxyInfoFromNode(node).http10).toBe(true);
    expect(proxyInfoFromNode(xdsNode(readConfig([], { ISTIO_META_HTTP10: 'true' }))).http10).toBeUndefined();
    expect(proxyInfoFromNode(xdsNode(sidecar)).http10).toBeUndefined();
  });

  it('is read back by the control plane as the same proxy', () => {
    const info = proxyInfoFromNode(xdsNode(sidecar));
    expect(info).toMatchObject({
      id: 'sidecar~127.0.10.12~reviews-v2-7d79d5bd5d-8zzqd.default~default.svc.cluster.local',
      namespace: 'default',
      workloadName: 'reviews-v2-7d79d5bd5d-8zzqd',
      labels: { app: 'reviews', version: 'v2' },
      interception: 'NONE',
    });
  });
});

describe('bindOverride', () => {
  it('binds published listener ports on the host address instead', () => {
    const gateway = bindOverride(readConfig(['--mode', 'router', '--ip', '127.0.10.2', '--interception', 'NONE', '--publish', '8080=127.0.0.1:8080'], {}));
    expect(gateway('0.0.0.0_8080', '0.0.0.0', 8080)).toEqual({ host: '127.0.0.1', port: 8080 });
    // Other wildcard listeners stay on the pod address.
    expect(gateway('0.0.0.0_8443', '0.0.0.0', 8443)).toEqual({ host: '127.0.10.2', port: 8443 });
  });

  it('without capture (NONE) binds wildcard listeners on the pod address and leaves specific ones alone', () => {
    const bind = bindOverride(sidecar);
    expect(bind('virtualOutbound', '0.0.0.0', 15001)).toEqual({ host: '127.0.10.12', port: 15001 });
    expect(bind('inbound', '::', 9080)).toEqual({ host: '127.0.10.12', port: 9080 });
    expect(bind('127.0.10.12_9080', '127.0.10.12', 9080)).toBeUndefined();
  });

  it('with capture (REDIRECT) changes nothing', () => {
    const bind = bindOverride(readConfig(['--ip', '10.244.0.7'], {}));
    expect(bind('virtualOutbound', '0.0.0.0', 15001)).toBeUndefined();
    expect(bind('virtualInbound', '0.0.0.0', 15006)).toBeUndefined();
  });
});

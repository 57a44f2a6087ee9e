import type { LocalPlan, PodPlan } from './plan';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localTokenAuthenticator } from '@trellis/mesh-ca';
import { GATEWAY_SERVICE } from './gateway-service';
import { toMeshService } from './plan';
import { gatewaySpec, sidecarSpec } from './process-specs';
import { writeProxyCredentials } from './workload-credentials';

const POD: PodPlan = {
  name: 'ratings-v1-abcdefghij-klmno',
  namespace: 'default',
  deployment: 'ratings-v1',
  ip: '127.0.77.10',
  labels: { app: 'ratings', version: 'v1' },
  serviceAccount: 'bookinfo-ratings',
  app: 'ratings',
  env: {},
  appEndpoints: { '9080': '127.0.77.10:19080' },
};

const GATEWAY_MESH_SERVICE = toMeshService(GATEWAY_SERVICE, 'cluster.local');

const PLAN: LocalPlan = {
  controlPlane: { ip: '127.0.77.1', xdsPort: 15010, httpPort: 15014, caPort: 15012 },
  gateway: { ip: '127.0.77.2', name: 'istio-ingressgateway-0', namespace: 'istio-system', labels: { istio: 'ingressgateway' }, publish: [{ port: 8080, host: '127.0.0.1', hostPort: 18080 }, { port: 8443, host: '127.0.0.1', hostPort: 18443 }], service: GATEWAY_MESH_SERVICE },
  services: [],
  pods: [POD],
};

const CTX = { distDir: '/dist', stateDir: '/state', logLevel: 'warn', accessLog: false };

/** `--flag value` pairs of a proxy's command line. */
function flags(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) out[args[i]!.replace(/^--/, '')] = args[i + 1]!;
  return out;
}

describe('local proxy processes', () => {
  it('publish the gateway’s 8080 and 8443 on the host ports (--port, --https-port)', () => {
    expect(flags(gatewaySpec(PLAN, CTX).args)['publish']).toBe('8080=127.0.0.1:18080,8443=127.0.0.1:18443');
  });

  it('bind each proxy’s admin/health/Prometheus ports on its own pod address (many proxies share the host)', () => {
    for (const [spec, ip] of [[sidecarSpec(POD, PLAN, CTX), POD.ip], [gatewaySpec(PLAN, CTX), PLAN.gateway.ip]] as const) {
      expect(flags(spec.args)).toMatchObject({ ip, interception: 'NONE', 'ops-bind': 'instance-ip' });
    }
  });
});

describe('workload credentials (local mode)', () => {
  it("writes each proxy a 0600 token for its ServiceAccount and hands the sidecars and the gateway CA, root and token", async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'trellis-creds-'));
    try {
      const creds = await writeProxyCredentials(state, '127.0.77.1:15012', [
        { pod: PLAN.gateway.name, namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' },
        { pod: POD.name, namespace: POD.namespace, serviceAccount: POD.serviceAccount },
      ]);
      const sidecar = creds.get(POD.name);
      expect(sidecar).toEqual({ caAddress: '127.0.77.1:15012', rootCertFile: path.join(state, 'ca', 'ca-cert.pem'), tokenFile: path.join(state, 'pods', POD.name, 'istio-token') });
      expect(statSync(sidecar!.tokenFile).mode & 0o777).toBe(0o600);
      // The control plane's authenticator (same key file) accepts it for the pod's identity.
      const key = Buffer.from(readFileSync(path.join(state, 'workload-token.key'), 'utf8'), 'base64');
      const caller = await localTokenAuthenticator(key, 'cluster.local').authenticate({ authorization: `Bearer ${readFileSync(sidecar!.tokenFile, 'utf8')}`, peer: 'test' });
      expect(caller.identities).toEqual(['spiffe://cluster.local/ns/default/sa/bookinfo-ratings']);
      expect(flags(sidecarSpec(POD, PLAN, CTX, sidecar).args)).toMatchObject({ 'ca-address': '127.0.77.1:15012', 'ca-root-cert': sidecar!.rootCertFile, 'token-file': sidecar!.tokenFile });
      const gw = flags(gatewaySpec(PLAN, CTX, creds.get(PLAN.gateway.name)).args);
      expect(gw).toMatchObject({ 'service-account': 'istio-ingressgateway-service-account', 'token-file': path.join(state, 'pods', PLAN.gateway.name, 'istio-token') });
      expect(flags(sidecarSpec(POD, PLAN, CTX).args)['ca-address']).toBeUndefined();
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});

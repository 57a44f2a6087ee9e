import type { LocalPlan, PodPlan } from './plan';
import { gatewaySpec, sidecarSpec } from './process-specs';

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

const PLAN: LocalPlan = {
  controlPlane: { ip: '127.0.77.1', xdsPort: 15010, httpPort: 15014 },
  gateway: { ip: '127.0.77.2', name: 'istio-ingressgateway-0', namespace: 'istio-system', labels: { istio: 'ingressgateway' }, publish: { port: 8080, host: '127.0.0.1', hostPort: 18080 } },
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
  it('bind each proxy’s admin/health/Prometheus ports on its own pod address (many proxies share the host)', () => {
    for (const [spec, ip] of [[sidecarSpec(POD, PLAN, CTX), POD.ip], [gatewaySpec(PLAN, CTX), PLAN.gateway.ip]] as const) {
      expect(flags(spec.args)).toMatchObject({ ip, interception: 'NONE', 'ops-bind': 'instance-ip' });
    }
  });
});

import { CommanderError } from 'commander';
import { nodeId, readConfig } from './config';

/** commander writes its own error line to stderr before throwing; keep test output clean. */
function quietly<T>(fn: () => T): T {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

function parseError(argv: string[], env: Record<string, string> = {}): CommanderError | Error {
  try {
    quietly(() => readConfig(argv, env));
  } catch (err) {
    if (err instanceof Error) return err;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('readConfig', () => {
  it('has Istio-like defaults', () => {
    expect(readConfig([], {})).toEqual({
      mode: 'sidecar',
      xdsAddress: 'istiod.istio-system.svc:15010',
      xdsProtocol: 'delta',
      ip: '127.0.0.1',
      podName: 'unknown',
      namespace: 'default',
      labels: {},
      serviceAccount: 'default',
      interception: 'REDIRECT',
      appEndpoints: {},
      publish: {},
      accessLog: false,
      drainMs: 5000,
      opsBind: 'istio',
      adminHost: '127.0.0.1',
      adminPort: 15000,
      statusHost: '0.0.0.0',
      statusPort: 15021,
      prometheusHost: '0.0.0.0',
      prometheusPort: 15090,
      agentPort: 15020,
      logLevel: 'info',
      privateApis: true,
      identity: {
        caAddress: undefined,
        caRootCert: '/var/run/secrets/istio/root-cert.pem',
        tokenFiles: ['/var/run/secrets/tokens/istio-token', '/var/run/secrets/kubernetes.io/serviceaccount/token'],
        trustDomain: 'cluster.local',
        certTtlSeconds: 86400,
        graceRatio: 0.5,
        graceRatioJitter: 0.01,
        keyAlgorithm: { kind: 'rsa', bits: 2048 },
      },
    });
  });

  it("reads the workload-identity agent's flags, and Istio's env names (CA_ADDR, SECRET_TTL, …)", () => {
    const flags = readConfig(['--ca-address', '127.0.10.1:15012', '--ca-root-cert', '/s/ca/ca-cert.pem', '--token-file', '/s/pods/p/istio-token', '--trust-domain', 'td', '--workload-cert-ttl', '1h30m', '--ecc-signature-algorithm', 'ECDSA'], {});
    expect(flags.identity).toEqual({
      caAddress: '127.0.10.1:15012',
      caRootCert: '/s/ca/ca-cert.pem',
      tokenFiles: ['/s/pods/p/istio-token'],
      trustDomain: 'td',
      certTtlSeconds: 5400,
      graceRatio: 0.5,
      graceRatioJitter: 0.01,
      keyAlgorithm: { kind: 'ec', curve: 'P-256' },
    });
    const env = readConfig([], { CA_ADDR: 'istiod.istio-system.svc:15012', SECRET_TTL: '24h0m0s', SECRET_GRACE_PERIOD_RATIO: '0.25', TRUST_DOMAIN: 'x.y', ECC_SIGNATURE_ALGORITHM: 'ECDSA' });
    expect(env.identity).toMatchObject({ caAddress: 'istiod.istio-system.svc:15012', certTtlSeconds: 86400, graceRatio: 0.25, trustDomain: 'x.y', keyAlgorithm: { kind: 'ec' } });
    expect(parseError([], { SECRET_TTL: '1d' }).message).toMatch(/SECRET_TTL=1d: not a duration/);
    expect(parseError(['--grace-ratio', '1.5']).message).toMatch(/\[0, 1\)/);
  });

  it('turns the private-API seam off by flag or TRELLIS_PRIVATE_APIS, and rejects other values', () => {
    expect(readConfig(['--private-apis', 'off'], {}).privateApis).toBe(false);
    expect(readConfig([], { TRELLIS_PRIVATE_APIS: 'off' }).privateApis).toBe(false);
    expect(readConfig(['--private-apis', 'on'], { TRELLIS_PRIVATE_APIS: 'off' }).privateApis).toBe(true);
    expect(parseError([], { TRELLIS_PRIVATE_APIS: 'no' }).message).toBe('TRELLIS_PRIVATE_APIS=no: must be on or off');
    expect(parseError(['--private-apis', 'maybe']).message).toMatch(/must be on or off/);
  });

  it('speaks delta xDS unless --xds-protocol sotw or ISTIO_DELTA_XDS=false, and rejects other values', () => {
    expect(readConfig([], { ISTIO_DELTA_XDS: 'false' }).xdsProtocol).toBe('sotw');
    expect(readConfig(['--xds-protocol', 'delta'], { ISTIO_DELTA_XDS: 'false' }).xdsProtocol).toBe('delta');
    expect(parseError([], { ISTIO_DELTA_XDS: 'yes' }).message).toBe('ISTIO_DELTA_XDS=yes: must be true or false');
    expect(parseError(['--xds-protocol', 'incremental'], {}).message).toContain('must be delta or sotw');
  });

  it('reads every flag', () => {
    const c = readConfig(
      [
        '--mode', 'router',
        '--xds-address', '127.0.10.1:15010',
        '--ip', '127.0.10.2',
        '--pod-name', 'istio-ingressgateway-7f8d',
        '--namespace', 'istio-system',
        '--labels', '{"istio":"ingressgateway","revision":1}',
        '--service-account', 'istio-ingressgateway-service-account',
        '--interception', 'NONE',
        '--app-endpoints', '9080=127.0.10.10:19080,9090=127.0.10.10:19090',
        '--publish', '8080=127.0.0.1:8080',
        '--access-log',
        '--drain-ms', '250',
        '--ops-bind', 'instance-ip',
        '--private-apis', 'off',
        '--xds-protocol', 'sotw',
      ],
      { LOG_LEVEL: 'debug' },
    );
    expect(c).toEqual({
      mode: 'router',
      xdsAddress: '127.0.10.1:15010',
      xdsProtocol: 'sotw',
      ip: '127.0.10.2',
      podName: 'istio-ingressgateway-7f8d',
      namespace: 'istio-system',
      labels: { istio: 'ingressgateway', revision: '1' },
      serviceAccount: 'istio-ingressgateway-service-account',
      interception: 'NONE',
      appEndpoints: { '9080': '127.0.10.10:19080', '9090': '127.0.10.10:19090' },
      publish: { '8080': { host: '127.0.0.1', port: 8080 } },
      accessLog: true,
      drainMs: 250,
      opsBind: 'instance-ip',
      adminHost: '127.0.10.2',
      adminPort: 15000,
      statusHost: '127.0.10.2',
      statusPort: 15021,
      prometheusHost: '127.0.10.2',
      prometheusPort: 15090,
      agentPort: 15020,
      logLevel: 'debug',
      privateApis: false,
      identity: expect.objectContaining({ caAddress: undefined }),
    });
  });

  it('falls back to the environment Istio injects', () => {
    const c = readConfig([], {
      TRELLIS_PROXY_MODE: 'router',
      TRELLIS_XDS_ADDRESS: 'istiod:15010',
      INSTANCE_IP: '10.244.0.7',
      POD_NAME: 'reviews-v1-abc-def',
      POD_NAMESPACE: 'bookinfo',
      TRELLIS_POD_LABELS: 'app=reviews,version=v1',
      SERVICE_ACCOUNT: 'bookinfo-reviews',
      INTERCEPTION_MODE: 'NONE',
      TRELLIS_APP_ENDPOINTS: '9080=10.244.0.7:19080',
      TRELLIS_ACCESS_LOG: 'true',
      TRELLIS_DRAIN_MS: '1500',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      mode: 'router',
      xdsAddress: 'istiod:15010',
      ip: '10.244.0.7',
      podName: 'reviews-v1-abc-def',
      namespace: 'bookinfo',
      labels: { app: 'reviews', version: 'v1' },
      serviceAccount: 'bookinfo-reviews',
      interception: 'NONE',
      appEndpoints: { '9080': '10.244.0.7:19080' },
      accessLog: true,
      drainMs: 1500,
      logLevel: 'warn',
    });
  });

  it('lets flags win over the environment; empty env values count as unset', () => {
    const c = readConfig(['--ip', '127.0.10.11', '--labels', 'app=ratings'], { INSTANCE_IP: '10.0.0.1', TRELLIS_POD_LABELS: '{"app":"x"}', POD_NAME: '' });
    expect(c.ip).toBe('127.0.10.11');
    expect(c.labels).toEqual({ app: 'ratings' });
    expect(c.podName).toBe('unknown');
  });

  it('parses labels as a JSON object or as k=v pairs', () => {
    expect(readConfig(['--labels', '{"app":"reviews","version":"v2"}'], {}).labels).toEqual({ app: 'reviews', version: 'v2' });
    expect(readConfig(['--labels', 'app=reviews,version=v2'], {}).labels).toEqual({ app: 'reviews', version: 'v2' });
    expect(readConfig(['--labels', ''], {}).labels).toEqual({});
    expect(readConfig(['--labels', 'a=b=c'], {}).labels).toEqual({ a: 'b=c' });
    expect(parseError(['--labels', 'app=']).message).toMatch(/expected key=value, got "app="/);
    expect(parseError(['--labels', '["app"]']).message).toMatch(/labels must be a JSON object or k=v/);
    expect(parseError(['--labels', 'app']).message).toMatch(/expected key=value, got "app"/);
    expect(parseError([], { TRELLIS_POD_LABELS: 'app' }).message).toBe('TRELLIS_POD_LABELS=app: expected key=value, got "app"');
  });

  it('parses published ports, repeatable, and rejects malformed ones', () => {
    expect(readConfig(['--publish', '8080=127.0.0.1:18080,8443=127.0.0.1:18443'], {}).publish).toEqual({
      '8080': { host: '127.0.0.1', port: 18080 },
      '8443': { host: '127.0.0.1', port: 18443 },
    });
    expect(readConfig(['--publish', '8080=127.0.0.1:18080', '--publish', '8443=::1:18443'], {}).publish).toEqual({
      '8080': { host: '127.0.0.1', port: 18080 },
      '8443': { host: '::1', port: 18443 },
    });
    for (const bad of ['8080=127.0.0.1', '8080=127.0.0.1:http', '8080=:80', '8080=127.0.0.1:70000', 'http=127.0.0.1:80', '8080']) {
      expect([bad, parseError(['--publish', bad]).message]).toEqual([bad, expect.stringMatching(/expected (port=host:port|key=value)/)]);
    }
  });

  it('rejects a bad mode, from flags and from the environment', () => {
    const flag = parseError(['--mode', 'gateway']);
    expect(flag).toBeInstanceOf(CommanderError);
    expect(flag).toMatchObject({ code: 'commander.invalidArgument' });
    expect(flag.message).toMatch(/mode must be sidecar or router/);
    // From the environment it is a plain Error naming the variable (commander did not print it).
    const fromEnv = parseError([], { TRELLIS_PROXY_MODE: 'ingress' });
    expect(fromEnv).not.toBeInstanceOf(CommanderError);
    expect(fromEnv.message).toBe('TRELLIS_PROXY_MODE=ingress: mode must be sidecar or router');
  });

  it('accepts Istio interception modes only, and a non-negative drain time', () => {
    expect(readConfig(['--interception', 'TPROXY'], {}).interception).toBe('REDIRECT');
    expect(parseError(['--interception', 'none']).message).toMatch(/interception must be REDIRECT, TPROXY or NONE/);
    expect(parseError(['--drain-ms', 'soon']).message).toMatch(/not a duration/);
    expect(parseError(['--drain-ms', '-1']).message).toMatch(/not a duration/);
    expect(readConfig(['--drain-ms', '0'], {}).drainMs).toBe(0);
    expect(parseError([], { TRELLIS_DRAIN_MS: 'later' }).message).toBe('TRELLIS_DRAIN_MS=later: not a duration in milliseconds');
    expect(parseError([], { INTERCEPTION_MODE: 'IPTABLES' }).message).toMatch(/^INTERCEPTION_MODE=IPTABLES: interception must be/);
  });

  it("binds the ops ports Istio's way in a pod, or all on the pod address when asked (local mode)", () => {
    const pod = { INSTANCE_IP: '10.244.0.7' };
    expect(readConfig([], pod)).toMatchObject({ ip: '10.244.0.7', adminHost: '127.0.0.1', statusHost: '0.0.0.0', prometheusHost: '0.0.0.0' });
    expect(readConfig([], { INSTANCE_IP: 'fd00:10:244::7' })).toMatchObject({ adminHost: '::1', statusHost: '::', prometheusHost: '::' });
    expect(readConfig([], { ...pod, TRELLIS_OPS_BIND: 'instance-ip' })).toMatchObject({ adminHost: '10.244.0.7', statusHost: '10.244.0.7', prometheusHost: '10.244.0.7' });
    expect(readConfig(['--ip', '127.0.10.12', '--ops-bind', 'instance-ip'], { TRELLIS_OPS_BIND: 'istio' })).toMatchObject({ opsBind: 'instance-ip', statusHost: '127.0.10.12' });
    expect(parseError(['--ops-bind', 'all']).message).toMatch(/ops-bind must be istio or instance-ip/);
    expect(parseError([], { TRELLIS_OPS_BIND: 'pod' }).message).toBe('TRELLIS_OPS_BIND=pod: ops-bind must be istio or instance-ip');
  });

  it('rejects unknown flags', () => {
    expect(parseError(['--port', '1'])).toMatchObject({ code: 'commander.unknownOption' });
  });

  it('ignores an unknown LOG_LEVEL', () => {
    expect(readConfig([], { LOG_LEVEL: 'loud' }).logLevel).toBe('info');
  });
});

describe('nodeId', () => {
  it("is Istio's type~ip~pod.namespace~namespace.svc.cluster.local", () => {
    expect(nodeId(readConfig(['--ip', '10.244.0.7', '--pod-name', 'reviews-v1-abc-def'], {}))).toBe('sidecar~10.244.0.7~reviews-v1-abc-def.default~default.svc.cluster.local');
    expect(nodeId(readConfig(['--mode', 'router', '--ip', '127.0.10.2', '--pod-name', 'istio-ingressgateway-0', '--namespace', 'istio-system'], {}))).toBe(
      'router~127.0.10.2~istio-ingressgateway-0.istio-system~istio-system.svc.cluster.local',
    );
  });
});

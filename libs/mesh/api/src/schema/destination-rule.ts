import { portSelector, workloadSelector } from './common';
import { anyObject, arr, bool, duration, enumOf, int32, labels, obj, str, strings, uint32, type JsonSchema } from './json-schema';

export const LB_SIMPLE = ['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'] as const;

const loadBalancer = (): JsonSchema =>
  obj({
    simple: enumOf(LB_SIMPLE),
    consistentHash: obj({
      httpHeaderName: str(),
      httpCookie: obj({ name: str(), path: str(), ttl: duration() }, ['name']),
      useSourceIp: bool(),
      httpQueryParameterName: str(),
      ringHash: obj({ minimumRingSize: uint32() }),
      maglev: obj({ tableSize: uint32() }),
      minimumRingSize: uint32(),
    }),
    localityLbSetting: anyObject(),
    warmupDurationSecs: duration(),
    warmup: anyObject(),
  });

const connectionPool = (): JsonSchema =>
  obj({
    tcp: obj({
      maxConnections: int32(),
      connectTimeout: duration(),
      tcpKeepalive: obj({ probes: uint32(), time: duration(), interval: duration() }),
      maxConnectionDuration: duration(),
      idleTimeout: duration(),
    }),
    http: obj({
      http1MaxPendingRequests: int32(),
      http2MaxRequests: int32(),
      maxRequestsPerConnection: int32(),
      maxRetries: int32(),
      idleTimeout: duration(),
      h2UpgradePolicy: enumOf(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']),
      useClientProtocol: bool(),
      maxConcurrentStreams: int32(),
    }),
  });

const outlierDetection = (): JsonSchema =>
  obj({
    splitExternalLocalOriginErrors: bool(),
    consecutiveLocalOriginFailures: uint32(),
    consecutiveGatewayErrors: uint32(),
    consecutive5xxErrors: uint32(),
    consecutiveErrors: int32(),
    interval: duration(),
    baseEjectionTime: duration(),
    maxEjectionPercent: int32({ minimum: 0, maximum: 100 }),
    minHealthPercent: int32({ minimum: 0, maximum: 100 }),
  });

const clientTls = (): JsonSchema =>
  obj({
    mode: enumOf(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']),
    clientCertificate: str(),
    privateKey: str(),
    caCertificates: str(),
    caCrl: str(),
    credentialName: str(),
    subjectAltNames: strings(),
    sni: str(),
    insecureSkipVerify: bool(),
  });

const policyFields = (): Record<string, JsonSchema> => ({
  loadBalancer: loadBalancer(),
  connectionPool: connectionPool(),
  outlierDetection: outlierDetection(),
  tls: clientTls(),
});

const trafficPolicy = (): JsonSchema =>
  obj({
    ...policyFields(),
    portLevelSettings: arr(obj({ port: portSelector(), ...policyFields() })),
    tunnel: anyObject(),
    proxyProtocol: anyObject(),
  });

export const destinationRuleSpec = (): JsonSchema =>
  obj(
    {
      host: str({ description: 'The name of a service from the service registry.' }),
      trafficPolicy: trafficPolicy(),
      subsets: arr(obj({ name: str({ description: 'Name of the subset.' }), labels: labels(), trafficPolicy: trafficPolicy() }, ['name'])),
      exportTo: strings(),
      workloadSelector: workloadSelector(),
    },
    ['host'],
    'Configuration affecting load balancing, outlier detection, etc. See more details at: https://istio.io/docs/reference/config/networking/destination-rule.html',
  );

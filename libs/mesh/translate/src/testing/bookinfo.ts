/* Test fixture: the Bookinfo registry and the Istio networking samples (bookinfo-spec §3–§4) as objects. */
import {
  emptySnapshot,
  type DestinationRule,
  type Gateway,
  type HTTPRoute,
  type MeshService,
  type MeshSnapshot,
  type ProxyInfo,
  type VirtualService,
  type WorkloadInstance,
} from '@trellis/mesh-api';

export const NS = 'default';
export const fqdn = (name: string): string => `${name}.${NS}.svc.cluster.local`;
export const cluster = (name: string, subset?: string, port = 9080): string => `outbound|${port}|${subset ?? ''}|${fqdn(name)}`;

function service(name: string): MeshService {
  return {
    name,
    namespace: NS,
    hostname: fqdn(name),
    ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }],
    selector: { app: name },
    labels: { app: name, service: name },
  };
}

export const PODS: Record<string, string> = {
  'details-v1': '10.0.0.11',
  'productpage-v1': '10.0.0.12',
  'ratings-v1': '10.0.0.13',
  'reviews-v1': '10.0.0.14',
  'reviews-v2': '10.0.0.15',
  'reviews-v3': '10.0.0.16',
};

function workload(deployment: string): WorkloadInstance {
  const [app = '', version = ''] = deployment.split('-');
  return {
    name: `${deployment}-5d9c8-abcde`,
    namespace: NS,
    address: PODS[deployment] ?? '',
    labels: { app, version },
    serviceAccount: `bookinfo-${app}`,
    sidecar: true,
    ready: true,
  };
}

export const SERVICES = ['details', 'productpage', 'ratings', 'reviews'].map(service);
export const WORKLOADS = Object.keys(PODS).map(workload);

export function bookinfoSnapshot(config: Partial<Omit<MeshSnapshot, 'services' | 'workloads'>> = {}): MeshSnapshot {
  return { ...emptySnapshot(), services: SERVICES, workloads: WORKLOADS, ...config };
}

/** An undeclared (auto-detected) port, as the capture e2e's tcp-echo :9001: service `web` :8000 and its pod. */
export const WEB_AUTO_SERVICE: MeshService = {
  name: 'web',
  namespace: NS,
  hostname: `web.${NS}.svc.cluster.local`,
  ports: [{ name: 'web', port: 8000, targetPort: 8000, protocol: 'AUTO' }],
  selector: { app: 'web' },
  address: '10.96.0.40',
};
export const WEB_AUTO_POD: WorkloadInstance = { name: 'web-v1-abc', namespace: NS, address: '10.0.0.40', labels: { app: 'web', version: 'v1' }, serviceAccount: 'web', sidecar: true, ready: true };

/** Bookinfo plus WEB_AUTO_SERVICE and its pod. */
export function bookinfoWithAutoPort(): MeshSnapshot {
  const base = bookinfoSnapshot();
  return { ...base, services: [...base.services, WEB_AUTO_SERVICE], workloads: [...base.workloads, WEB_AUTO_POD] };
}

export function sidecarProxy(deployment: string, extra: Partial<ProxyInfo> = {}): ProxyInfo {
  const w = WORKLOADS.find((x) => x.name.startsWith(`${deployment}-`))!;
  return {
    id: `sidecar~${w.address}~${w.name}.${NS}~${NS}.svc.cluster.local`,
    type: 'sidecar',
    ipAddress: w.address,
    workloadName: w.name,
    namespace: NS,
    labels: w.labels,
    interception: 'REDIRECT',
    ...extra,
  };
}

export const GATEWAY_PROXY: ProxyInfo = {
  id: 'router~10.0.0.2~istio-ingressgateway-abc.istio-system~istio-system.svc.cluster.local',
  type: 'router',
  ipAddress: '10.0.0.2',
  workloadName: 'istio-ingressgateway-abc',
  namespace: 'istio-system',
  labels: { istio: 'ingressgateway', app: 'istio-ingressgateway' },
  interception: 'REDIRECT',
};

// ── samples/bookinfo/networking ─────────────────────────────────────────────────
function vs(name: string, http: HTTPRoute[], extra: Partial<VirtualService['spec']> = {}): VirtualService {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: NS }, spec: { hosts: [name], http, ...extra } };
}
function dr(host: string, subsets: string[], trafficPolicy?: DestinationRule['spec']['trafficPolicy']): DestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: host, namespace: NS },
    spec: { host, subsets: subsets.map((s) => ({ name: s, labels: { version: s } })), ...(trafficPolicy ? { trafficPolicy } : {}) },
  };
}
const to = (host: string, subset: string, weight?: number): NonNullable<HTTPRoute['route']>[number] => ({
  destination: { host, subset },
  ...(weight !== undefined ? { weight } : {}),
});
const jason = { headers: { 'end-user': { exact: 'jason' } } };

export const destinationRuleAll = [
  dr('productpage', ['v1']),
  dr('reviews', ['v1', 'v2', 'v3']),
  dr('ratings', ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']),
  dr('details', ['v1', 'v2']),
];
export const destinationRuleReviews = dr('reviews', ['v1', 'v2', 'v3'], { loadBalancer: { simple: 'RANDOM' } });
export const virtualServiceAllV1 = ['productpage', 'reviews', 'ratings', 'details'].map((n) => vs(n, [{ route: [to(n, 'v1')] }]));
export const reviewsTestV2 = vs('reviews', [{ match: [jason], route: [to('reviews', 'v2')] }, { route: [to('reviews', 'v1')] }]);
export const reviewsJasonV2V3 = vs('reviews', [{ match: [jason], route: [to('reviews', 'v2')] }, { route: [to('reviews', 'v3')] }]);
export const reviews50V3 = vs('reviews', [{ route: [to('reviews', 'v1', 50), to('reviews', 'v3', 50)] }]);
export const reviews80_20 = vs('reviews', [{ route: [to('reviews', 'v1', 80), to('reviews', 'v2', 20)] }]);
export const reviews90_10 = vs('reviews', [{ route: [to('reviews', 'v1', 90), to('reviews', 'v2', 10)] }]);
export const reviewsV2V3 = vs('reviews', [{ route: [to('reviews', 'v2', 50), to('reviews', 'v3', 50)] }]);
export const reviewsV3 = vs('reviews', [{ route: [to('reviews', 'v3')] }]);
export const ratingsTestDelay = vs('ratings', [
  { match: [jason], fault: { delay: { percentage: { value: 100.0 }, fixedDelay: '7s' } }, route: [to('ratings', 'v1')] },
  { route: [to('ratings', 'v1')] },
]);
export const ratingsTestAbort = vs('ratings', [
  { match: [jason], fault: { abort: { percentage: { value: 100.0 }, httpStatus: 500 } }, route: [to('ratings', 'v1')] },
  { route: [to('ratings', 'v1')] },
]);
export const detailsV2 = vs('details', [{ route: [to('details', 'v2')] }]);
export const ratingsDb = [vs('reviews', [{ route: [to('reviews', 'v3')] }]), vs('ratings', [{ route: [to('ratings', 'v2')] }])];
export const ratingsMysql = [vs('reviews', [{ route: [to('reviews', 'v3')] }]), vs('ratings', [{ route: [to('ratings', 'v2-mysql')] }])];
export const ratingsMysqlVm = [vs('reviews', [{ route: [to('reviews', 'v3')] }]), vs('ratings', [{ route: [to('ratings', 'v2-mysql-vm')] }])];
export const faultInjectionDetailsV1 = {
  virtualService: vs('details', [
    { fault: { abort: { httpStatus: 555, percentage: { value: 100 } } }, route: [to('details', 'v1')] },
    { route: [to('details', 'v1')] },
  ]),
  destinationRule: dr('details', ['v1']),
};
export const reviewsTimeout = vs('reviews', [{ route: [to('reviews', 'v2')], timeout: '0.5s' }]);
export const ratingsDelay2s = vs('ratings', [{ fault: { delay: { percentage: { value: 100 }, fixedDelay: '2s' } }, route: [to('ratings', 'v1')] }]);

export const bookinfoGateway: Gateway = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: NS },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
};
export const bookinfoVirtualService = vs(
  'bookinfo',
  [
    {
      match: [
        { uri: { exact: '/productpage' } },
        { uri: { prefix: '/static' } },
        { uri: { exact: '/login' } },
        { uri: { exact: '/logout' } },
        { uri: { prefix: '/api/v1/products' } },
      ],
      route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
    },
  ],
  { hosts: ['*'], gateways: ['bookinfo-gateway'] },
);

import type { GatewayDeployment } from '@trellis/mesh-gateway-api';

/** Label of every object the deployment controller owns (istiod's). */
export const MANAGED_LABEL = 'gateway.istio.io/managed';
export const MANAGED_VALUE = 'istio.io-gateway-controller';
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';
/** Gateway annotation choosing the Service type (Istio's; default LoadBalancer). */
export const SERVICE_TYPE_ANNOTATION = 'networking.istio.io/service-type';
const STATUS_PORT = 15021;
/** Below 1.22 `net.ipv4.ip_unprivileged_port_start` is not a safe sysctl: the proxy runs as root with NET_BIND_SERVICE, as Istio's template did. */
const SAFE_PORT_SYSCTL_MINOR = 22;

export interface GatewayWorkloadOptions {
  proxyImage: string;
  /** The control plane's xDS address, e.g. `istiod.istio-system.svc:15010`. */
  xdsAddress: string;
  /** The CA's address (workload certificates); none: the gateway runs without an identity. */
  caAddress?: string;
  /** Minor version of the Kubernetes API server. */
  kubeMinor: number;
}

/** The Gateway a workload belongs to (its owner reference). */
export interface GatewayOwner {
  apiVersion: string;
  uid: string;
  className: string;
  serviceType: string;
}

export interface GatewayWorkload {
  serviceAccount: Record<string, unknown>;
  deployment: Record<string, unknown>;
  service: Record<string, unknown>;
}

function metadata(d: GatewayDeployment, owner: GatewayOwner): Record<string, unknown> {
  return {
    name: d.serviceName,
    namespace: d.namespace,
    labels: { [GATEWAY_NAME_LABEL]: d.name, [GATEWAY_CLASS_LABEL]: owner.className, [MANAGED_LABEL]: MANAGED_VALUE },
    ownerReferences: [{ apiVersion: owner.apiVersion, kind: 'Gateway', name: d.name, uid: owner.uid }],
  };
}

/** The gateway pods' labels: what the generated Istio Gateway selects (and the proxy reports). */
export function gatewayPodLabels(d: GatewayDeployment, className: string): Record<string, string> {
  return {
    'sidecar.istio.io/inject': 'false',
    'service.istio.io/canonical-name': d.serviceName,
    'service.istio.io/canonical-revision': 'latest',
    ...d.labels,
    [GATEWAY_NAME_LABEL]: d.name,
    'istio.io/gateway-name': d.name,
    [GATEWAY_CLASS_LABEL]: className,
    [MANAGED_LABEL]: MANAGED_VALUE,
  };
}

const fieldEnv = (name: string, fieldPath: string): Record<string, unknown> => ({ name, valueFrom: { fieldRef: { fieldPath } } });

function proxyContainer(d: GatewayDeployment, labels: Record<string, string>, o: GatewayWorkloadOptions): Record<string, unknown> {
  const privilegedPorts = d.ports.some((p) => p.port < 1024) && o.kubeMinor < SAFE_PORT_SYSCTL_MINOR;
  const env = [
    { name: 'TRELLIS_XDS_ADDRESS', value: o.xdsAddress },
    ...(o.caAddress === undefined ? [] : [{ name: 'CA_ADDR', value: o.caAddress }]),
    fieldEnv('INSTANCE_IP', 'status.podIP'),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    { name: 'TRELLIS_POD_LABELS', value: JSON.stringify(labels) },
  ];
  return {
    name: 'istio-proxy',
    image: o.proxyImage,
    imagePullPolicy: 'IfNotPresent',
    args: ['--mode', 'router'],
    env,
    ports: [
      { name: 'metrics', containerPort: 15020, protocol: 'TCP' },
      { name: 'status-port', containerPort: STATUS_PORT, protocol: 'TCP' },
      { name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' },
    ],
    readinessProbe: { httpGet: { path: '/healthz/ready', port: STATUS_PORT }, initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 30 },
    securityContext: privilegedPorts
      ? { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, runAsUser: 0, runAsGroup: 1337, runAsNonRoot: false }
      : { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true },
    volumeMounts: [
      { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
      { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio', readOnly: true },
    ],
  };
}

function podSpec(d: GatewayDeployment, labels: Record<string, string>, o: GatewayWorkloadOptions): Record<string, unknown> {
  const sysctl = o.kubeMinor >= SAFE_PORT_SYSCTL_MINOR ? { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } } : {};
  return {
    ...sysctl,
    serviceAccountName: d.serviceName,
    containers: [proxyContainer(d, labels, o)],
    volumes: [
      { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
      { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
    ],
  };
}

/**
 * Istio's automated deployment of one Gateway (its kube-gateway template, trimmed to what the
 * Trellis proxy reads): ServiceAccount, Deployment and Service `<gateway>-istio`, owned by the
 * Gateway, the pods labelled `gateway.networking.k8s.io/gateway-name`, running the proxy as a router;
 * the Service has the status port and the listeners' ports (target = the same port on the pod).
 */
export function gatewayWorkload(d: GatewayDeployment, owner: GatewayOwner, o: GatewayWorkloadOptions): GatewayWorkload {
  const meta = metadata(d, owner);
  const labels = gatewayPodLabels(d, owner.className);
  const annotations = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus' };
  const ports = [{ name: 'status-port', port: STATUS_PORT, protocol: 'TCP' }, ...d.ports.filter((p) => p.port !== STATUS_PORT)];
  return {
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: 1,
        selector: { matchLabels: { [GATEWAY_NAME_LABEL]: d.name } },
        template: { metadata: { labels, annotations }, spec: podSpec(d, labels, o) },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        type: owner.serviceType,
        selector: { [GATEWAY_NAME_LABEL]: d.name },
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP' })),
      },
    },
  };
}

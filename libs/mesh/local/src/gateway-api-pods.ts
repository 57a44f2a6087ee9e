import { selectProtocol, serviceHostname, type MeshService, type WorkloadInstance } from '@trellis/mesh-api';
import type { GatewayDeployment } from '@trellis/mesh-gateway-api';
import { podName } from './pod-names';

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const MANAGED = { 'gateway.istio.io/managed': 'istio.io-gateway-controller' };
const STATUS_PORT = 15021;

/** The local stand-in of a deployed gateway's pod: a router proxy on its own loopback address. */
export interface GatewayApiPod {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly labels: Record<string, string>;
  readonly serviceAccount: string;
}

/** The pod of a Gateway's deployment, labelled as Istio's automated deployment labels it (what the generated Gateway selects). */
export function gatewayApiPod(d: GatewayDeployment, ip: string): GatewayApiPod {
  const labels = {
    'sidecar.istio.io/inject': 'false',
    'service.istio.io/canonical-name': d.serviceName,
    'service.istio.io/canonical-revision': 'latest',
    ...d.labels,
    [GATEWAY_NAME_LABEL]: d.name,
    'istio.io/gateway-name': d.name,
    ...MANAGED,
  };
  return { name: podName(d.serviceName, `${d.namespace}/${d.name}`), namespace: d.namespace, ip, labels, serviceAccount: d.serviceName };
}

/** Service `<gateway>-istio` as the cluster has it (status port + listener ports, target = the same port), at the pod's address. */
export function gatewayApiService(d: GatewayDeployment, ip: string, domainSuffix: string): MeshService {
  const ports = [{ name: 'status-port', port: STATUS_PORT }, ...d.ports.filter((p) => p.port !== STATUS_PORT)];
  return {
    name: d.serviceName,
    namespace: d.namespace,
    hostname: serviceHostname(d.serviceName, d.namespace, domainSuffix),
    ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: selectProtocol({ name: p.name, port: p.port }) })),
    selector: { [GATEWAY_NAME_LABEL]: d.name },
    labels: { [GATEWAY_NAME_LABEL]: d.name, ...MANAGED },
    address: ip,
  };
}

/** The registry entry that gives the Service its endpoint (no sidecar: the router is the pod). */
export function gatewayApiWorkload(pod: GatewayApiPod): WorkloadInstance {
  return { name: pod.name, namespace: pod.namespace, address: pod.ip, labels: pod.labels, serviceAccount: pod.serviceAccount, sidecar: false, ready: true };
}

/** Ports of the deployment, in a comparable form (a listener change re-registers the Service). */
export const portsKey = (d: GatewayDeployment): string => d.ports.map((p) => `${p.name}:${p.port}`).join(',');

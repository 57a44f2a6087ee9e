import { selectProtocol, serviceHostname, type MeshService, type ServicePortSpec, type ServiceProtocol, type WorkloadInstance } from '@trellis/mesh-api';
import type { KubeEndpointSlice, KubePod, KubeService } from './k8s-types';

type ServicePort = NonNullable<NonNullable<KubeService['spec']>['ports']>[number];

/** Istio's protocol selection (`selectProtocol`: appProtocol, port name, else detected). UDP/SCTP ports: undefined. */
export function protocolOf(port: Pick<ServicePort, 'name' | 'protocol' | 'appProtocol' | 'port'>): ServiceProtocol | undefined {
  if (port.protocol !== undefined && port.protocol !== 'TCP') return undefined;
  return selectProtocol(port);
}

/** Kubernetes selector semantics: a Service without a selector selects nothing. */
export function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** A numeric targetPort; a named one is looked up in the selected pods' container ports. */
export function resolveTargetPort(port: ServicePort, pods: readonly KubePod[]): number {
  const target = port.targetPort;
  if (typeof target === 'number') return target;
  if (target === undefined || target === '') return port.port;
  if (/^\d+$/.test(target)) return Number(target);
  for (const pod of pods) {
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      const found = c.ports?.find((p) => p.name === target);
      if (found !== undefined) return found.containerPort;
    }
  }
  return port.port;
}

export function toMeshService(svc: KubeService, pods: readonly KubePod[], domainSuffix: string): MeshService {
  const namespace = svc.metadata.namespace ?? 'default';
  const selector = svc.spec?.selector ?? {};
  const selected = pods.filter((p) => p.metadata.namespace === namespace && selects(selector, p.metadata.labels));
  const ports: ServicePortSpec[] = [];
  for (const p of svc.spec?.ports ?? []) {
    const protocol = protocolOf(p);
    if (protocol !== undefined) ports.push({ name: p.name ?? '', port: p.port, targetPort: resolveTargetPort(p, selected), protocol });
  }
  const clusterIP = svc.spec?.clusterIP;
  return {
    name: svc.metadata.name,
    namespace,
    hostname: serviceHostname(svc.metadata.name, namespace, domainSuffix),
    ports,
    selector: { ...selector },
    ...(clusterIP === undefined || clusterIP === '' || clusterIP === 'None' ? {} : { address: clusterIP }),
    ...(svc.metadata.labels === undefined ? {} : { labels: { ...svc.metadata.labels } }),
    ...exportToOf(svc.metadata.annotations?.[EXPORT_TO_ANNOTATION]),
  };
}

/** Istio's Service visibility annotation: comma-separated `.`, `*`, `~` or namespace names. */
export const EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

function exportToOf(value: string | undefined): Pick<MeshService, 'exportTo'> {
  const list = (value ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  return list.length === 0 ? {} : { exportTo: list };
}

/** What the EndpointSlices say about one pod: its endpoint address and readiness. */
export interface EndpointInfo {
  address: string;
  ready: boolean;
}

/** `namespace/pod` → endpoint info, from every slice that references the pod (ready only if all agree). */
export function endpointsByPod(slices: readonly KubeEndpointSlice[]): Map<string, EndpointInfo> {
  const out = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      const ref = ep.targetRef;
      const address = ep.addresses?.[0];
      if (ref?.kind !== 'Pod' || ref.name === undefined || address === undefined) continue;
      const key = `${ref.namespace ?? slice.metadata.namespace ?? 'default'}/${ref.name}`;
      const ready = ep.conditions?.ready !== false;
      const previous = out.get(key);
      out.set(key, { address: previous?.address ?? address, ready: (previous?.ready ?? true) && ready });
    }
  }
  return out;
}

const podReady = (pod: KubePod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Istio's injection markers: the injector's status annotation or an `istio-proxy` container. */
export function hasSidecar(pod: KubePod): boolean {
  if (pod.metadata.annotations?.['sidecar.istio.io/status'] !== undefined) return true;
  // a gateway (not injected, its own istio-proxy is the workload): mesh clients send it plaintext, as Istio's
  // gateways carry no security.istio.io/tlsMode label
  if (pod.metadata.labels?.['sidecar.istio.io/inject'] === 'false') return false;
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.name === 'istio-proxy');
}

/** A pod as a WorkloadInstance; undefined while it has no IP, and once it has terminated. */
export function toWorkload(pod: KubePod, endpoint: EndpointInfo | undefined): WorkloadInstance | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const podIP = pod.status?.podIP === '' ? undefined : pod.status?.podIP;
  const address = endpoint?.address ?? podIP;
  if (address === undefined) return undefined;
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    address,
    labels: { ...pod.metadata.labels },
    serviceAccount: pod.spec?.serviceAccountName ?? 'default',
    sidecar: hasSidecar(pod),
    ready: !terminating && (endpoint?.ready ?? podReady(pod)),
  };
}

import type { MeshService, ServiceEntry, WorkloadInstance, WorkloadEntrySpec } from '@trellis/mesh-api';
import type { ClusterDiscoveryType } from '@trellis/mesh-envoy';
import { selectWorkloads } from './label-index';

export { labelsMatch } from './label-index';

/** One port of a service, registry- or ServiceEntry-defined. */
export interface ServicePortModel {
  name: string;
  port: number;
  targetPort: number;
  protocol: string;
}

/** One concrete endpoint (address + port for a given service port). */
export interface MeshEndpoint {
  address: string;
  port: number;
  labels: Readonly<Record<string, string>>;
  weight: number;
  /** The workload instance behind the endpoint (registry workloads only): identity, sidecar, target port. */
  workload?: EndpointWorkload;
}

export interface EndpointWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** A sidecar fronts it (Istio: pod label `security.istio.io/tlsMode: istio`). */
  readonly sidecar: boolean;
  /** The workload port the service port targets (what PeerAuthentication `portLevelMtls` names). */
  readonly targetPort: number;
}

/** A service as the translator sees it, whatever its source. */
export interface ServiceModel {
  hostname: string;
  name: string;
  namespace: string;
  addresses: string[];
  kubernetes: boolean;
  discovery: ClusterDiscoveryType;
  ports: ServicePortModel[];
  /** Endpoints per service port number (`String(port)`), sorted by address then port. */
  endpoints: Record<string, MeshEndpoint[]>;
  /** ServiceEntry `subjectAltNames`: what upstream TLS verifies when the DestinationRule names none. */
  subjectAltNames?: string[];
  /** Outside the mesh (a ServiceEntry not `MESH_INTERNAL`): never auto mTLS. */
  meshExternal: boolean;
}

function byAddress(a: MeshEndpoint, b: MeshEndpoint): number {
  return a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1;
}

/** Ready workloads selected by `selector` in `namespace`, at their actual port for `targetPort`. */
function workloadEndpoints(
  workloads: readonly WorkloadInstance[],
  namespace: string,
  selector: Readonly<Record<string, string>>,
  targetPort: number,
): MeshEndpoint[] {
  return selectWorkloads(workloads, namespace, selector)
    .filter((w) => w.ready)
    .map((w) => ({
      address: w.address,
      port: w.ports?.[String(targetPort)] ?? targetPort,
      labels: w.labels,
      weight: 1,
      workload: { name: w.name, namespace: w.namespace, serviceAccount: w.serviceAccount, sidecar: w.sidecar, targetPort },
    }))
    .sort(byAddress);
}

function fromMeshService(svc: MeshService, workloads: readonly WorkloadInstance[]): ServiceModel {
  const ports = [...svc.ports].sort((a, b) => a.port - b.port).map((p) => ({ ...p }));
  const endpoints: Record<string, MeshEndpoint[]> = {};
  for (const p of ports) endpoints[String(p.port)] = workloadEndpoints(workloads, svc.namespace, svc.selector, p.targetPort);
  return {
    hostname: svc.hostname,
    name: svc.name,
    namespace: svc.namespace,
    addresses: svc.address ? [svc.address] : [],
    kubernetes: true,
    discovery: 'EDS',
    ports,
    endpoints,
    meshExternal: false,
  };
}

function seDiscovery(se: ServiceEntry): ClusterDiscoveryType {
  if (se.spec.workloadSelector) return 'EDS';
  switch (se.spec.resolution) {
    case 'STATIC':
      return 'STATIC';
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      return 'STRICT_DNS';
    default:
      return 'ORIGINAL_DST';
  }
}

function entryEndpoint(e: WorkloadEntrySpec, p: ServicePortModel, host: string): MeshEndpoint {
  return { address: e.address ?? host, port: e.ports?.[p.name] ?? p.targetPort, labels: e.labels ?? {}, weight: e.weight ?? 1 };
}

function seEndpoints(se: ServiceEntry, host: string, p: ServicePortModel, workloads: readonly WorkloadInstance[]): MeshEndpoint[] {
  const namespace = se.metadata.namespace ?? 'default';
  const selector = se.spec.workloadSelector?.labels;
  if (selector) return workloadEndpoints(workloads, namespace, selector, p.targetPort);
  const entries = se.spec.endpoints ?? [];
  if (entries.length > 0) return entries.map((e) => entryEndpoint(e, p, host)).sort(byAddress);
  const dns = se.spec.resolution === 'DNS' || se.spec.resolution === 'DNS_ROUND_ROBIN';
  return dns && !host.startsWith('*') ? [{ address: host, port: p.targetPort, labels: {}, weight: 1 }] : [];
}

function fromServiceEntry(se: ServiceEntry, host: string, workloads: readonly WorkloadInstance[]): ServiceModel {
  const ports = [...(se.spec.ports ?? [])]
    .sort((a, b) => a.number - b.number)
    .map((p) => ({ name: p.name, port: p.number, targetPort: p.targetPort ?? p.number, protocol: (p.protocol ?? 'TCP').toUpperCase() }));
  const endpoints: Record<string, MeshEndpoint[]> = {};
  for (const p of ports) endpoints[String(p.port)] = seEndpoints(se, host, p, workloads);
  return {
    hostname: host,
    name: host,
    namespace: se.metadata.namespace ?? 'default',
    addresses: [...(se.spec.addresses ?? [])],
    kubernetes: false,
    discovery: seDiscovery(se),
    ports,
    endpoints,
    ...(se.spec.subjectAltNames?.length ? { subjectAltNames: [...se.spec.subjectAltNames] } : {}),
    meshExternal: se.spec.location !== 'MESH_INTERNAL',
  };
}

/**
 * All services, registry first then ServiceEntries (first definition of a host wins), sorted by
 * hostname so output order never depends on input order.
 */
/**
 * Registry services' models by workload list and service: they do not depend on the proxy, so the
 * translation groups of one snapshot (immutable arrays) share them.
 */
const registryModels = new WeakMap<readonly WorkloadInstance[], WeakMap<MeshService, ServiceModel>>();

function registryModel(svc: MeshService, workloads: readonly WorkloadInstance[]): ServiceModel {
  let byService = registryModels.get(workloads);
  if (byService === undefined) registryModels.set(workloads, (byService = new WeakMap()));
  let model = byService.get(svc);
  if (model === undefined) byService.set(svc, (model = fromMeshService(svc, workloads)));
  return model;
}

export function buildServiceModels(
  services: readonly MeshService[],
  serviceEntries: readonly ServiceEntry[],
  workloads: readonly WorkloadInstance[],
): ServiceModel[] {
  const byHost = new Map<string, ServiceModel>();
  for (const svc of services) if (!byHost.has(svc.hostname)) byHost.set(svc.hostname, registryModel(svc, workloads));
  for (const se of serviceEntries) {
    for (const host of se.spec.hosts) if (!byHost.has(host)) byHost.set(host, fromServiceEntry(se, host, workloads));
  }
  return [...byHost.values()].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/** Ports served by HTTP listeners/route configs (TCP/TLS/HTTPS ports only get clusters). */
export function isHttpPort(p: ServicePortModel): boolean {
  return HTTP_PROTOCOLS.has(p.protocol.toUpperCase());
}

/** Ports whose protocol is detected per connection (Istio's auto protocol: undeclared names). */
export function isAutoPort(p: ServicePortModel): boolean {
  return p.protocol.toUpperCase() === 'AUTO';
}

/** Ports that get an HTTP route configuration: declared HTTP, or detected (HTTP when sniffed so). */
export function hasHttpRoutes(p: ServicePortModel): boolean {
  return isHttpPort(p) || isAutoPort(p);
}

export function isHttp2Port(p: ServicePortModel): boolean {
  const proto = p.protocol.toUpperCase();
  return proto === 'HTTP2' || proto === 'GRPC';
}

import {
  labelsMatch,
  type DestinationRule,
  type MeshService,
  type PeerAuthentication,
  type VirtualService,
  type WorkloadInstance,
} from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { describeVirtualService, virtualServiceAppliesTo, type SubsetSplit } from './describe-virtual-service';
import { hostNames, kname } from './matching';
import { peerAuthenticationLines, type InboundTruth } from './peer-authentication-lines';

export const POD_NOT_FOUND = 'POD_NOT_FOUND';
const SEPARATOR = '--------------------';

export interface DescribePodInput {
  pod: string;
  namespace: string;
  workloads: readonly WorkloadInstance[];
  services: readonly MeshService[];
  destinationRules: readonly DestinationRule[];
  virtualServices: readonly VirtualService[];
  peerAuthentications: readonly PeerAuthentication[];
  /** The pod proxy's inbound listeners (what it enforces), or why they could not be read. */
  inbound?: InboundTruth;
}

/** `istioctl x describe pod` computed from the registry and the stored config (a pure function). */
export function describePod(input: DescribePodInput): string[] {
  const pod = findPod(input.workloads, input.pod, input.namespace);
  const ns = input.namespace;
  const services = input.services.filter(
    (s) => s.namespace === pod.namespace && Object.keys(s.selector).length > 0 && labelsMatch(s.selector, pod.labels),
  );
  if (!pod.sidecar) {
    return [...podLines(pod, services, ns), `WARNING: ${pod.name}.${pod.namespace} is not part of mesh; no Istio sidecar`];
  }
  const lines = podLines(pod, services, ns);
  for (const svc of services) {
    lines.push(SEPARATOR, ...serviceLines(svc, ns));
    const dr = input.destinationRules.find((d) => hostNames(d.spec.host, d.metadata.namespace ?? 'default', svc.hostname));
    const subsets = splitSubsets(dr, pod.labels);
    if (dr) lines.push(...destinationRuleLines(dr, subsets, ns));
    for (const vs of input.virtualServices.filter((v) => virtualServiceAppliesTo(v, svc))) {
      lines.push(...describeVirtualService(vs, svc, subsets, dr, ns));
    }
  }
  lines.push(SEPARATOR, ...peerAuthenticationLines(pod, input.peerAuthentications, input.inbound));
  return lines;
}

/** Finds `name` (exact, else a unique prefix such as `reviews-v1`) in the namespace. */
export function findPod(workloads: readonly WorkloadInstance[], name: string, namespace: string): WorkloadInstance {
  const inNamespace = workloads.filter((w) => w.namespace === namespace);
  const exact = inNamespace.find((w) => w.name === name);
  if (exact) return exact;
  const byPrefix = inNamespace.filter((w) => w.name.startsWith(name));
  if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
  throw new TrellisError(POD_NOT_FOUND, 'pod not found', { name, namespace });
}

function podLines(pod: WorkloadInstance, services: readonly MeshService[], ns: string): string[] {
  const container = pod.labels['app'] ?? services[0]?.name ?? pod.name;
  const targetPorts = [...new Set(services.flatMap((s) => s.ports.map((p) => p.targetPort)))].sort((a, b) => a - b);
  const ports = targetPorts.map((p) => `${p} (${container})`);
  if (!pod.sidecar) return [`Pod: ${kname(pod.name, pod.namespace, ns)}`, `   Pod Ports: ${ports.join(', ')}`];
  ports.push('15090 (istio-proxy)');
  return [
    `Pod: ${kname(pod.name, pod.namespace, ns)}`,
    `   Pod Revision: ${pod.labels['istio.io/rev'] ?? 'default'}`,
    `   Pod Ports: ${ports.join(', ')}`,
  ];
}

function serviceLines(svc: MeshService, ns: string): string[] {
  return [
    `Service: ${kname(svc.name, svc.namespace, ns)}`,
    ...svc.ports.map((p) => `   Port: ${p.name} ${p.port}/${p.protocol} targets pod port ${p.targetPort}`),
  ];
}

function splitSubsets(dr: DestinationRule | undefined, labels: Readonly<Record<string, string>>): SubsetSplit {
  const split: SubsetSplit = { matching: [], nonMatching: [] };
  for (const subset of dr?.spec.subsets ?? []) {
    (labelsMatch(subset.labels, labels) ? split.matching : split.nonMatching).push(subset.name);
  }
  return split;
}

function destinationRuleLines(dr: DestinationRule, subsets: SubsetSplit, ns: string): string[] {
  const lines = [`DestinationRule: ${kname(dr.metadata.name, dr.metadata.namespace, ns)} for "${dr.spec.host}"`];
  if (subsets.matching.length > 0 || subsets.nonMatching.length > 0) {
    if (subsets.matching.length === 0) {
      lines.push(`  WARNING POD DOES NOT MATCH ANY SUBSETS.  (Non matching subsets ${subsets.nonMatching.join(',')})`);
    }
    lines.push(`   Matching subsets: ${subsets.matching.join(',')}`);
    if (subsets.nonMatching.length > 0) lines.push(`      (Non-matching subsets ${subsets.nonMatching.join(',')})`);
  }
  const policy = dr.spec.trafficPolicy;
  if (!policy) return [...lines, '   No Traffic Policy'];
  if (policy.tls) lines.push(`   Traffic Policy TLS Mode: ${policy.tls.mode ?? 'DISABLE'}`);
  const extra = [
    policy.loadBalancer && 'load balancer',
    policy.connectionPool && 'connection pool',
    policy.outlierDetection && 'outlier detection',
    policy.portLevelSettings && 'port level settings',
  ].filter((e): e is string => typeof e === 'string');
  if (extra.length > 0) lines.push(`   ${extra.join('/')}`);
  return lines;
}

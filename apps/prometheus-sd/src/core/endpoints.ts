/**
 * `role: endpoints` as Prometheus 2.42 builds it (discovery/kubernetes/endpoints.go): one target per address and
 * port of an Endpoints object, with its Service's labels and, for pod addresses, the pod's labels; then one
 * target per container port of those pods that no endpoint port covered.
 */
import type { SdEndpointAddress, SdEndpoints, SdPod, SdService } from './kube-objects';
import { joinHostPort, META, metadataLabels, NAMESPACE_LABEL, toFileSd, type FileSdGroup, type KubeTarget, type LabelSet } from './labels';
import { podLabels } from './pod';
import { serviceLabels } from './service';

const EP = `${META}endpoint_`;
const POD = `${META}pod_`;

/** The Service and Pods an Endpoints object refers to, from the discovery's caches. */
export interface EndpointsLookup {
  service(namespace: string, name: string): SdService | undefined;
  pod(namespace: string, name: string): SdPod | undefined;
}

type EndpointPort = NonNullable<NonNullable<SdEndpoints['subsets']>[number]['ports']>[number];

function addressTarget(addr: SdEndpointAddress, port: EndpointPort, ready: boolean): KubeTarget {
  const labels: LabelSet = {
    [`${EP}port_name`]: port.name ?? '',
    [`${EP}port_protocol`]: port.protocol ?? '',
    [`${EP}ready`]: String(ready),
  };
  if (addr.targetRef !== undefined) {
    labels[`${EP}address_target_kind`] = addr.targetRef.kind ?? '';
    labels[`${EP}address_target_name`] = addr.targetRef.name ?? '';
  }
  if (addr.nodeName !== undefined) labels[`${EP}node_name`] = addr.nodeName;
  if (addr.hostname !== undefined && addr.hostname !== '') labels[`${EP}hostname`] = addr.hostname;
  return { address: joinHostPort(addr.ip, port.port), labels };
}

/** The container port matching the endpoint port, as container labels (the endpoint's protocol, as Prometheus). */
function containerPortLabels(pod: SdPod, port: EndpointPort): LabelSet {
  for (const c of pod.spec?.containers ?? []) {
    const cport = c.ports?.find((p) => p.containerPort === port.port);
    if (cport === undefined) continue;
    return {
      [`${POD}container_name`]: c.name,
      [`${POD}container_image`]: c.image ?? '',
      [`${POD}container_port_name`]: cport.name ?? '',
      [`${POD}container_port_number`]: String(port.port),
      [`${POD}container_port_protocol`]: port.protocol ?? '',
    };
  }
  return {};
}

/** Targets for the container ports of `pod` that no endpoint port covered. */
function uncoveredPortTargets(pod: SdPod, covered: ReadonlySet<number>): KubeTarget[] {
  const out: KubeTarget[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const cport of c.ports ?? []) {
      if (covered.has(cport.containerPort)) continue;
      const labels: LabelSet = {
        [`${POD}container_name`]: c.name,
        [`${POD}container_image`]: c.image ?? '',
        [`${POD}container_port_name`]: cport.name ?? '',
        [`${POD}container_port_number`]: String(cport.containerPort),
        [`${POD}container_port_protocol`]: cport.protocol ?? '',
      };
      out.push({ address: joinHostPort(pod.status?.podIP ?? '', cport.containerPort), labels: { ...labels, ...podLabels(pod) } });
    }
  }
  return out;
}

export function endpointsGroups(eps: SdEndpoints, lookup: EndpointsLookup): FileSdGroup[] {
  const namespace = eps.metadata.namespace ?? '';
  const svc = lookup.service(namespace, eps.metadata.name);
  const group: LabelSet = {
    [NAMESPACE_LABEL]: namespace,
    [`${META}endpoints_name`]: eps.metadata.name,
    ...(svc === undefined ? {} : serviceLabels(svc)),
    ...metadataLabels(`${META}endpoints_`, eps.metadata.labels, undefined),
  };
  const targets: KubeTarget[] = [];
  const seenPods = new Map<string, { pod: SdPod; ports: Set<number> }>();
  const add = (addr: SdEndpointAddress, port: EndpointPort, ready: boolean): void => {
    const target = addressTarget(addr, port, ready);
    const ref = addr.targetRef;
    const pod = ref?.kind === 'Pod' && ref.name !== undefined ? lookup.pod(ref.namespace ?? '', ref.name) : undefined;
    if (pod === undefined) {
      targets.push(target);
      return;
    }
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    const seen = seenPods.get(key) ?? { pod, ports: new Set<number>() };
    seenPods.set(key, seen);
    seen.ports.add(port.port);
    targets.push({ address: target.address, labels: { ...target.labels, ...podLabels(pod), ...containerPortLabels(pod, port) } });
  };
  for (const subset of eps.subsets ?? []) {
    for (const port of subset.ports ?? []) {
      for (const addr of subset.addresses ?? []) add(addr, port, true);
      for (const addr of subset.notReadyAddresses ?? []) add(addr, port, false);
    }
  }
  for (const { pod, ports } of seenPods.values()) targets.push(...uncoveredPortTargets(pod, ports));
  return toFileSd(group, targets);
}

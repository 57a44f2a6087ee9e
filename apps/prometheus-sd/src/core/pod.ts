/** `role: pod` as Prometheus 2.42 builds it (discovery/kubernetes/pod.go): one target group per pod with an IP. */
import type { SdContainer, SdContainerStatus, SdPod } from './kube-objects';
import { joinHostPort, META, metadataLabels, NAMESPACE_LABEL, toFileSd, type FileSdGroup, type KubeTarget, type LabelSet } from './labels';

const POD = `${META}pod_`;

/** podReady: the Ready condition's status in lower case, `unknown` without one. */
function podReady(pod: SdPod): string {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return (ready?.status ?? 'Unknown').toLowerCase();
}

/** The pod's own labels (podLabels in pod.go), also attached to endpoints targets backed by the pod. */
export function podLabels(pod: SdPod): LabelSet {
  const ls: LabelSet = {
    [`${POD}name`]: pod.metadata.name,
    [`${POD}ip`]: pod.status?.podIP ?? '',
    [`${POD}ready`]: podReady(pod),
    [`${POD}phase`]: pod.status?.phase ?? '',
    [`${POD}node_name`]: pod.spec?.nodeName ?? '',
    [`${POD}host_ip`]: pod.status?.hostIP ?? '',
    [`${POD}uid`]: pod.metadata.uid ?? '',
  };
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  if (controller?.kind !== undefined && controller.kind !== '') ls[`${POD}controller_kind`] = controller.kind;
  if (controller?.name !== undefined && controller.name !== '') ls[`${POD}controller_name`] = controller.name;
  return { ...ls, ...metadataLabels(POD, pod.metadata.labels, pod.metadata.annotations) };
}

function containerId(statuses: readonly SdContainerStatus[] | undefined, name: string): string {
  return statuses?.find((s) => s.name === name)?.containerID ?? '';
}

function containerTargets(podIP: string, c: SdContainer, id: string, isInit: boolean): KubeTarget[] {
  const common: LabelSet = {
    [`${POD}container_name`]: c.name,
    [`${POD}container_id`]: id,
    [`${POD}container_image`]: c.image ?? '',
    [`${POD}container_init`]: String(isInit),
  };
  // No ports: one target at the pod IP alone; relabelling (prometheus.io/port) supplies the port.
  if (c.ports === undefined || c.ports.length === 0) return [{ address: podIP, labels: common }];
  return c.ports.map((p) => ({
    address: joinHostPort(podIP, p.containerPort),
    labels: {
      ...common,
      [`${POD}container_port_number`]: String(p.containerPort),
      [`${POD}container_port_name`]: p.name ?? '',
      [`${POD}container_port_protocol`]: p.protocol ?? '',
    },
  }));
}

/** The pod's targets in file_sd form; none while it has no IP (starting, evicted). */
export function podGroups(pod: SdPod): FileSdGroup[] {
  const podIP = pod.status?.podIP ?? '';
  if (podIP === '') return [];
  const group: LabelSet = { ...podLabels(pod), [NAMESPACE_LABEL]: pod.metadata.namespace ?? '' };
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  const targets = [
    ...containers.map((c) => containerTargets(podIP, c, containerId(pod.status?.containerStatuses, c.name), false)),
    ...inits.map((c) => containerTargets(podIP, c, containerId(pod.status?.initContainerStatuses, c.name), true)),
  ].flat();
  return toFileSd(group, targets);
}

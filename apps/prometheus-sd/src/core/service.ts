/** `role: service` as Prometheus 2.42 builds it (discovery/kubernetes/service.go): one target per Service port. */
import type { SdService } from './kube-objects';
import { joinHostPort, META, metadataLabels, NAMESPACE_LABEL, toFileSd, type FileSdGroup, type KubeTarget, type LabelSet } from './labels';

const SVC = `${META}service_`;

/** serviceLabels: name, namespace, labels and annotations (also on endpoints targets of the Service). */
export function serviceLabels(svc: SdService): LabelSet {
  return {
    [`${SVC}name`]: svc.metadata.name,
    [NAMESPACE_LABEL]: svc.metadata.namespace ?? '',
    ...metadataLabels(SVC, svc.metadata.labels, svc.metadata.annotations),
  };
}

export function serviceGroups(svc: SdService): FileSdGroup[] {
  const type = svc.spec?.type ?? '';
  const host = `${svc.metadata.name}.${svc.metadata.namespace ?? ''}.svc`;
  const targets: KubeTarget[] = (svc.spec?.ports ?? []).map((p) => {
    const labels: LabelSet = {
      [`${SVC}port_name`]: p.name ?? '',
      [`${SVC}port_number`]: String(p.port),
      [`${SVC}port_protocol`]: p.protocol ?? '',
      [`${SVC}type`]: type,
    };
    if (type === 'ExternalName') labels[`${SVC}external_name`] = svc.spec?.externalName ?? '';
    else labels[`${SVC}cluster_ip`] = svc.spec?.clusterIP ?? '';
    if (type === 'LoadBalancer') labels[`${SVC}loadbalancer_ip`] = svc.spec?.loadBalancerIP ?? '';
    return { address: joinHostPort(host, p.port), labels };
  });
  return toFileSd(serviceLabels(svc), targets);
}

/** `role: node` as Prometheus 2.42 builds it (discovery/kubernetes/node.go): the kubelet of each node. */
import type { SdNode } from './kube-objects';
import { joinHostPort, META, metadataLabels, sanitizeLabelName, toFileSd, type FileSdGroup, type LabelSet } from './labels';

const NODE = `${META}node_`;
/** nodeAddress's priority (k8s.io/kubernetes/pkg/util/node). */
const ADDRESS_PRIORITY = ['InternalIP', 'InternalDNS', 'ExternalIP', 'ExternalDNS', 'LegacyHostIP', 'Hostname'];

export function nodeGroups(node: SdNode): FileSdGroup[] {
  const byType = new Map<string, string[]>();
  for (const a of node.status?.addresses ?? []) byType.set(a.type, [...(byType.get(a.type) ?? []), a.address]);
  const type = ADDRESS_PRIORITY.find((t) => byType.has(t));
  // Prometheus logs "No node address found" and emits nothing for such a node.
  if (type === undefined) return [];
  const group: LabelSet = {
    [`${NODE}name`]: node.metadata.name,
    [`${NODE}provider_id`]: node.spec?.providerID ?? '',
    ...metadataLabels(NODE, node.metadata.labels, node.metadata.annotations),
  };
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const labels: LabelSet = { instance: node.metadata.name };
  for (const [t, addresses] of byType) labels[sanitizeLabelName(`${NODE}address_${t}`)] = addresses[0] ?? '';
  return toFileSd(group, [{ address: joinHostPort(byType.get(type)?.[0] ?? '', port), labels }]);
}

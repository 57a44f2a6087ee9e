/**
 * Prometheus's target-group vocabulary as file_sd reads it, and the helpers Prometheus's Kubernetes discovery
 * uses to name labels (discovery/kubernetes in Prometheus 2.42).
 */

export type LabelSet = Record<string, string>;

/** One file_sd entry: `{"targets": [...], "labels": {...}}`. */
export interface FileSdGroup {
  targets: string[];
  labels: LabelSet;
}

/** One Kubernetes SD target: its `__address__` and its own labels, the group's labels beside it. */
export interface KubeTarget {
  address: string;
  labels: LabelSet;
}

export const META = '__meta_kubernetes_';
export const NAMESPACE_LABEL = `${META}namespace`;
/** The value of every `*_labelpresent_*` / `*_annotationpresent_*` label. */
export const PRESENT = 'true';

/** strutil.SanitizeLabelName: every code point outside [a-zA-Z0-9_] becomes `_` (Go's regexp works on runes). */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, '_');
}

/** net.JoinHostPort: IPv6 literals in brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `<prefix>label_<name>` and `<prefix>labelpresent_<name>` for labels, the same for annotations. */
export function metadataLabels(prefix: string, labels: Readonly<Record<string, string>> | undefined, annotations: Readonly<Record<string, string>> | undefined): LabelSet {
  const out: LabelSet = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    const ln = sanitizeLabelName(k);
    out[`${prefix}label_${ln}`] = v;
    out[`${prefix}labelpresent_${ln}`] = PRESENT;
  }
  if (annotations === undefined) return out;
  for (const [k, v] of Object.entries(annotations)) {
    const ln = sanitizeLabelName(k);
    out[`${prefix}annotation_${ln}`] = v;
    out[`${prefix}annotationpresent_${ln}`] = PRESENT;
  }
  return out;
}

/**
 * file_sd has no per-target labels: each Kubernetes target becomes its own group carrying the group's labels
 * with the target's on top (Prometheus lets a target's label win over its group's), keys sorted.
 */
export function toFileSd(groupLabels: LabelSet, targets: readonly KubeTarget[]): FileSdGroup[] {
  return targets.map((t) => ({ targets: [t.address], labels: sortedLabels({ ...groupLabels, ...t.labels }) }));
}

export function sortedLabels(labels: LabelSet): LabelSet {
  const out: LabelSet = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k] ?? '';
  return out;
}

import { stringify } from 'yaml';

/** YAML as kubectl prints it: keys sorted, sequences not indented under their key, no folding. */
export function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

/** JSON as kubectl prints it (4-space indent). */
export function toKubectlJson(value: unknown): string {
  return JSON.stringify(value, null, 4) + '\n';
}

/** JSON as istioctl prints Envoy config (2-space indent). */
export function toIstioctlJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** kubectl's list envelope for `-o yaml|json` with several items. */
export function kubectlList(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** How kubectl renders a JSONPath printer-column value: strings bare, arrays/objects as JSON. */
export function printerCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

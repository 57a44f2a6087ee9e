import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO = join(__dirname, '../../../..');

/** prometheus.yml of Istio's addon: the `prometheus` ConfigMap in samples/addons/prometheus.yaml. */
export function istioPrometheusYml(): string {
  const docs = parseAllDocuments(readFileSync(join(REPO, 'samples/addons/prometheus.yaml'), 'utf8')).map((d) => d.toJS() as unknown);
  for (const doc of docs) {
    const o = doc as { kind?: string; metadata?: { name?: string }; data?: Record<string, string> };
    if (o.kind === 'ConfigMap' && o.metadata?.name === 'prometheus' && o.data?.['prometheus.yml'] !== undefined) return o.data['prometheus.yml'];
  }
  throw new Error('samples/addons/prometheus.yaml has no prometheus ConfigMap with prometheus.yml');
}

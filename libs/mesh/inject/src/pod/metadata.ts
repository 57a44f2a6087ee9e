import { Annotation, Label, MERGED_METRICS_PORT } from './constants';
import type { Container, Labels } from './types';
import type { Workload } from './workload';

/** Env var carrying the app's own `prometheus.io/*` annotations (Istio's name). */
export const PROMETHEUS_ENV = 'ISTIO_PROMETHEUS_ANNOTATIONS';

const PROMETHEUS_KEYS = { scrape: Annotation.promScrape, path: Annotation.promPath, port: Annotation.promPort } as const;

/** Labels the injector adds: tlsMode always, canonical name/revision only when the user did not set them. */
export function injectedLabels(labels: Labels, workload: Workload): Labels {
  const out: Labels = { ...labels, [Label.tlsMode]: 'istio' };
  out[Label.canonicalName] ??= labels['app.kubernetes.io/name'] ?? labels['app'] ?? workload.name;
  out[Label.canonicalRevision] ??= labels['app.kubernetes.io/version'] ?? labels['version'] ?? 'latest';
  return out;
}

const MERGED = { [Annotation.promScrape]: 'true', [Annotation.promPort]: String(MERGED_METRICS_PORT), [Annotation.promPath]: '/stats/prometheus' };

/** True when the annotations are the ones mergePrometheus writes (else the previous injection did not merge). */
function isMerged(annotations: Labels): boolean {
  return Object.entries(MERGED).every(([key, value]) => annotations[key] === value);
}

function parseSaved(saved: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = saved ? JSON.parse(saved) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Re-injection: put back the app's original Prometheus annotations (saved in the old proxy's env),
 * or drop ours when the app had none, so merging again gives the same result.
 */
export function restorePrometheus(annotations: Labels, previousProxy: Container | undefined): Labels {
  if (!previousProxy || !isMerged(annotations)) return annotations;
  const saved = previousProxy.env?.find((e) => e.name === PROMETHEUS_ENV)?.value;
  const original = parseSaved(saved);
  const out = { ...annotations };
  for (const [key, annotation] of Object.entries(PROMETHEUS_KEYS)) {
    const value = original[key];
    if (typeof value === 'string' && value !== '') out[annotation] = value;
    else delete out[annotation];
  }
  return out;
}

export interface PrometheusMerge {
  readonly annotations: Labels;
  /** `{"scrape":…,"path":…,"port":…}` of the app's originals, when it had any. */
  readonly original: string | undefined;
}

/**
 * Istio's `applyPrometheusMerge`, pointed at the merged endpoint (:15020/stats/prometheus: the proxy's metrics plus the app's, from ISTIO_PROMETHEUS_ANNOTATIONS).
 * An app that says `prometheus.io/scrape: "false"` is left alone.
 */
export function mergePrometheus(annotations: Labels, enabled: boolean): PrometheusMerge {
  if (!enabled || annotations[Annotation.promScrape] === 'false') return { annotations, original: undefined };
  const original: Record<string, string> = {};
  for (const [key, annotation] of Object.entries(PROMETHEUS_KEYS)) {
    const value = annotations[annotation];
    if (value !== undefined) original[key] = value;
  }
  const merged: Labels = { ...annotations, ...MERGED };
  return { annotations: merged, original: Object.keys(original).length > 0 ? JSON.stringify(original) : undefined };
}

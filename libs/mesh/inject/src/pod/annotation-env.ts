import { parse as parseYaml } from 'yaml';
import { PROMETHEUS_ENV, mergePrometheus } from './metadata';
import type { Labels } from './types';

/** `proxy.istio.io/config`: the pod's ProxyConfig overrides (YAML), e.g. `tracing: {sampling: 50}`. */
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/** The annotation's YAML as JSON for PROXY_CONFIG; not a mapping (or not YAML) → undefined (istiod rejects it at validation). */
export function proxyConfigJson(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const doc: unknown = parseYaml(text);
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? JSON.stringify(doc) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The proxy environment the injector derives from a pod's annotations — the app's own `prometheus.io/*`
 * (ISTIO_PROMETHEUS_ANNOTATIONS, what the merged 15020 endpoint scrapes) and `proxy.istio.io/config`
 * (PROXY_CONFIG) — for runners that start proxies themselves (local mode): the same rule as injection.
 */
export function annotationProxyEnv(annotations: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  const prometheus = mergePrometheus(annotations, true).original;
  if (prometheus !== undefined) out[PROMETHEUS_ENV] = prometheus;
  const proxyConfig = proxyConfigJson(annotations[PROXY_CONFIG_ANNOTATION]);
  if (proxyConfig !== undefined) out['PROXY_CONFIG'] = proxyConfig;
  return out;
}

import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { createTranslator, type TranslateOptions } from '@trellis/mesh-translate';
import type { XdsResources } from '@trellis/mesh-xds';

/**
 * The bridge between the pure translator and the ADS server: both speak `@trellis/mesh-envoy`'s
 * `XdsResources` (docs/xds-resources.md), so the translator's output is served as is.
 */
export function generateFor(snapshot: () => MeshSnapshot, options: Partial<TranslateOptions> = {}): (proxy: ProxyInfo) => XdsResources {
  // Memoised per snapshot: proxies alike share outbound objects, which the ADS server encodes once.
  const translate = createTranslator(options);
  return (proxy) => translate(snapshot(), proxy);
}

/**
 * istioctl accepts a pod as `name.namespace`; the ADS server keys proxies by node id. A unique
 * prefix of the pod name (`productpage-v1`) is accepted too, as `trellis x describe` does.
 */
export function resolveProxyId(id: string, proxies: readonly ProxyInfo[]): string {
  const exact = proxies.find((p) => p.id === id || `${p.workloadName}.${p.namespace}` === id || p.workloadName === id);
  if (exact) return exact.id;
  const [pod = id, ns] = id.split('.');
  const prefixed = proxies.filter((p) => p.workloadName.startsWith(pod) && (ns === undefined || p.namespace === ns));
  const [only] = prefixed;
  return prefixed.length === 1 && only ? only.id : id;
}

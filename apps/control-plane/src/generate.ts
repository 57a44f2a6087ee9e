import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { createTranslator } from '@trellis/mesh-translate';
import type { XdsResource, XdsResources } from '@trellis/mesh-xds';

/**
 * The bridge between the pure translator and the ADS server: the translator's typed Envoy model
 * is exactly the contract shape the server encodes (docs/xds-resources.md).
 */
export function generateFor(snapshot: () => MeshSnapshot): (proxy: ProxyInfo) => XdsResources {
  // Memoised per snapshot: proxies alike share outbound objects, which the ADS server encodes once.
  const translate = createTranslator();
  return (proxy) => {
    const r = translate(snapshot(), proxy);
    const plain = (list: readonly object[]): XdsResource[] => list as unknown as XdsResource[];
    return { listeners: plain(r.listeners), routes: plain(r.routes), clusters: plain(r.clusters), endpoints: plain(r.endpoints) };
  };
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

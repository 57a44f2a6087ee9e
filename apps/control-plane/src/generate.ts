import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { translate } from '@trellis/mesh-translate';
import type { XdsResource, XdsResources } from '@trellis/mesh-xds';

/**
 * The bridge between the pure translator and the ADS server: the translator's typed Envoy model
 * is exactly the contract shape the server encodes (docs/xds-resources.md).
 */
export function generateFor(snapshot: () => MeshSnapshot): (proxy: ProxyInfo) => XdsResources {
  return (proxy) => {
    const r = translate(snapshot(), proxy);
    const plain = (list: readonly object[]): XdsResource[] => list as unknown as XdsResource[];
    return { listeners: plain(r.listeners), routes: plain(r.routes), clusters: plain(r.clusters), endpoints: plain(r.endpoints) };
  };
}

/** istioctl accepts a pod as `name.namespace`; the ADS server keys proxies by node id. */
export function resolveProxyId(id: string, proxies: readonly ProxyInfo[]): string {
  const match = proxies.find((p) => p.id === id || `${p.workloadName}.${p.namespace}` === id || p.workloadName === id);
  return match?.id ?? id;
}

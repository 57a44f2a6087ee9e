import type { ProxyNode } from '@trellis/mesh-proxy';
import type { XdsNode } from '@trellis/mesh-xds';
import { nodeId, type ProxyConfig } from './config';

export const PROXY_VERSION = '0.1.0';

/** The xDS node this proxy announces: Istio's id format and the metadata istiod reads. */
/** The proxy's own identity for telemetry, from the same flags as its xDS node. */
export function proxyNode(c: ProxyConfig): ProxyNode {
  const n = xdsNode(c);
  return { id: n.id, cluster: n.cluster ?? '', name: c.podName, namespace: c.namespace, labels: c.labels, serviceAccount: c.serviceAccount, clusterId: 'Kubernetes', instanceIp: c.ip };
}

export function xdsNode(c: ProxyConfig): XdsNode & { id: string } {
  return {
    id: nodeId(c),
    // Istio's service cluster: `<app label>.<namespace>` for sidecars and gateways alike (span service names, Kiali).
    cluster: `${c.labels['app'] ?? (c.mode === 'router' ? 'istio-ingressgateway' : c.podName)}.${c.namespace}`,
    user_agent_name: 'trellis-proxy',
    metadata: {
      // ISTIO_META_* first: the agent's own fields below win.
      ...c.istioMeta,
      NAME: c.podName,
      NAMESPACE: c.namespace,
      LABELS: c.labels,
      SERVICE_ACCOUNT: c.serviceAccount,
      INSTANCE_IPS: c.ip,
      INTERCEPTION_MODE: c.interception,
      ISTIO_VERSION: PROXY_VERSION,
      CLUSTER_ID: 'Kubernetes',
      TRELLIS_APP_ENDPOINTS: JSON.stringify(c.appEndpoints),
      // The pod's proxy.istio.io/config (the injector's PROXY_CONFIG env): the control plane reads tracing.sampling.
      ...(c.proxyConfig !== undefined && { PROXY_CONFIG: c.proxyConfig }),
    },
  };
}

/**
 * Where a listener really binds. Published ports go to the host address (local mode's port
 * mapping for the gateway); without capture, wildcard listeners bind the pod address.
 */
export function bindOverride(c: ProxyConfig): (name: string, address: string, port: number) => { host: string; port: number } | undefined {
  return (_name, address, port) => {
    const published = c.publish[String(port)];
    if (published) return published;
    if (c.interception === 'NONE' && (address === '0.0.0.0' || address === '::')) return { host: c.ip, port };
    return undefined;
  };
}

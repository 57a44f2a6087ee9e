import type { IstioConfig } from '@trellis/mesh-api';
import type { ConfigStore, ServiceRegistry, StatusOf } from '@trellis/mesh-config';
import { convertGatewayApi } from '@trellis/mesh-gateway-api';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const GROUP = 'gateway.networking.k8s.io';

/** `ns/gateway` → the address of its Service `<gateway>-istio` (local mode registers it at the gateway process's IP). */
function gatewayAddresses(registry: ServiceRegistry): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of registry.services()) {
    const gateway = s.labels?.[GATEWAY_NAME_LABEL];
    if (gateway !== undefined) out.set(`${s.namespace}/${gateway}`, s.address === undefined ? [] : [s.address]);
  }
  return out;
}

const statusKey = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;

/**
 * Local mode's Gateway API status: istiod's conversion over the stored config and the registry
 * (gateway addresses = the local gateways' Services), recomputed after a change, read by the config
 * API so `trellis get gtw` shows ADDRESS and PROGRAMMED as `kubectl get gtw` does.
 */
export function localGatewayApiStatus(store: ConfigStore, registry: ServiceRegistry, domainSuffix = 'cluster.local'): StatusOf {
  let cache: Map<string, Record<string, unknown>> | undefined;
  store.onChange(() => (cache = undefined));
  registry.onChange(() => (cache = undefined));
  const compute = (): Map<string, Record<string, unknown>> => {
    const configs = store.list();
    const services = registry.services();
    const names = [...new Set([...configs.map((c) => c.metadata.namespace ?? 'default'), ...services.map((s) => s.namespace)])];
    const namespaces = names.map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } }));
    const { status } = convertGatewayApi({ configs, services, namespaces, domainSuffix, gatewayAddresses: gatewayAddresses(registry) });
    return new Map(status.map((s) => [statusKey(s.kind, s.namespace, s.name), s.status]));
  };
  return (c: IstioConfig) => {
    if (!c.apiVersion.startsWith(`${GROUP}/`)) return undefined;
    cache ??= compute();
    // cluster-scoped kinds (GatewayClass) have no namespace in the status, whatever the store filled in
    return cache.get(statusKey(c.kind, c.metadata.namespace, c.metadata.name)) ?? cache.get(statusKey(c.kind, undefined, c.metadata.name));
  };
}

import type { IstioConfig, MeshService } from '@trellis/mesh-api';
import { convertGatewayApi, type GatewayApiInput, type GatewayApiResult } from '@trellis/mesh-gateway-api';

/**
 * What the Gateway API conversion needs beyond the store and the registry, from the runtime: the
 * namespaces with their labels (allowedRoutes selectors) and the addresses of each Gateway's Service.
 */
export interface GatewayApiSource {
  namespaces(): GatewayApiInput['namespaces'];
  /** `ns/name` of a Gateway → the addresses its Service has (cluster IPs, a local-mode pod address). */
  gatewayAddresses(): ReadonlyMap<string, readonly string[]>;
  onChange(listener: () => void): () => void;
}

const EMPTY: GatewayApiResult = Object.freeze({ configs: [], status: [], deployments: [] });

const isGatewayApi = (c: IstioConfig): boolean => c.apiVersion.startsWith('gateway.networking.k8s.io/');

/** Namespaces known from configs and Services, labelled as Kubernetes labels every namespace. */
function namespacesOf(configs: readonly IstioConfig[], services: readonly MeshService[]): GatewayApiInput['namespaces'] {
  const names = new Set([...configs.map((c) => c.metadata.namespace ?? 'default'), ...services.map((s) => s.namespace)]);
  return [...names].sort().map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } }));
}

/** The conversion for one snapshot; nothing to do (and nothing generated) without Gateway API objects. */
export function convertForSnapshot(
  configs: readonly IstioConfig[],
  services: readonly MeshService[],
  domainSuffix: string,
  source: GatewayApiSource | undefined,
): GatewayApiResult {
  if (!configs.some(isGatewayApi)) return EMPTY;
  return convertGatewayApi({
    configs,
    services,
    namespaces: source?.namespaces() ?? namespacesOf(configs, services),
    domainSuffix,
    gatewayAddresses: source?.gatewayAddresses() ?? new Map(),
  });
}

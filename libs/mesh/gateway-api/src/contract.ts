import type { IstioConfig, MeshService } from '@trellis/mesh-api';

/** The controller name of GatewayClass `istio` (istiod's). */
export const GATEWAY_CONTROLLER_NAME = 'istio.io/gateway-controller';

/** Everything the conversion reads: the stored configs (Gateway API kinds among them) and the registry. */
export interface GatewayApiInput {
  configs: readonly IstioConfig[];
  services: readonly MeshService[];
  namespaces: readonly { name: string; labels: Record<string, string> }[];
  domainSuffix: string;
  /** Addresses the runtime knows per Gateway (`ns/name` → its Service's IPs / local address). */
  gatewayAddresses: ReadonlyMap<string, readonly string[]>;
}

/** The whole `.status` one Gateway API object should have (written by the runtime when changed). */
export interface GatewayApiStatus {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  observedGeneration: number;
  status: Record<string, unknown>;
}

/** A gateway the runtime must deploy (Istio's automated deployment). */
export interface GatewayDeployment {
  namespace: string;
  /** The Gateway's name. */
  name: string;
  /** `${name}-istio` */
  serviceName: string;
  ports: { name: string; port: number; protocol: 'TCP' }[];
  labels: Record<string, string>;
}

export interface GatewayApiResult {
  /** Generated networking.istio.io Gateways + VirtualServices. */
  configs: IstioConfig[];
  status: GatewayApiStatus[];
  deployments: GatewayDeployment[];
}

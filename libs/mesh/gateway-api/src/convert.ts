import type { GatewayApiInput, GatewayApiResult } from './contract';

/** istiod's Gateway API conversion: Gateway API objects → Istio Gateways + VirtualServices, status, deployments. */
export function convertGatewayApi(_input: GatewayApiInput): GatewayApiResult {
  return { configs: [], status: [], deployments: [] };
}

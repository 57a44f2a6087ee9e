import { GATEWAY_API_GROUP, type Gateway, type GatewayApiConfig, type GatewayClass, type IstioConfig, type KubernetesGateway, type KubernetesHTTPRoute, type ReferenceGrant } from '../types';

/** True for every `gateway.networking.k8s.io` object (its kinds share names with Istio's: `Gateway`). */
export function isGatewayApiConfig(o: IstioConfig): o is GatewayApiConfig {
  return o.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`);
}

export function isIstioGateway(o: IstioConfig): o is Gateway {
  return o.kind === 'Gateway' && !isGatewayApiConfig(o);
}

export function isKubernetesGateway(o: IstioConfig): o is KubernetesGateway {
  return o.kind === 'Gateway' && isGatewayApiConfig(o);
}

export function isGatewayClass(o: IstioConfig): o is GatewayClass {
  return o.kind === 'GatewayClass' && isGatewayApiConfig(o);
}

export function isKubernetesHttpRoute(o: IstioConfig): o is KubernetesHTTPRoute {
  return o.kind === 'HTTPRoute' && isGatewayApiConfig(o);
}

export function isReferenceGrant(o: IstioConfig): o is ReferenceGrant {
  return o.kind === 'ReferenceGrant' && isGatewayApiConfig(o);
}

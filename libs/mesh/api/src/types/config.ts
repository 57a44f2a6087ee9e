import type { DestinationRule, Gateway, ServiceEntry, Sidecar, VirtualService } from './networking';
import type { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from './security';
import type { Telemetry } from './telemetry';
import type { GatewayApiConfig } from './gateway-api';
import type { EnvoyFilter } from './envoy-filter';

/** Every Istio kind Trellis understands, with its API group. */
export const ISTIO_KINDS = {
  Gateway: 'networking.istio.io',
  VirtualService: 'networking.istio.io',
  DestinationRule: 'networking.istio.io',
  ServiceEntry: 'networking.istio.io',
  Sidecar: 'networking.istio.io',
  EnvoyFilter: 'networking.istio.io',
  PeerAuthentication: 'security.istio.io',
  AuthorizationPolicy: 'security.istio.io',
  RequestAuthentication: 'security.istio.io',
  Telemetry: 'telemetry.istio.io',
  // Gateway API (standard channel); `KubernetesGateway` is the id of its `kind: Gateway` (istiod's name)
  GatewayClass: 'gateway.networking.k8s.io',
  KubernetesGateway: 'gateway.networking.k8s.io',
  HTTPRoute: 'gateway.networking.k8s.io',
  ReferenceGrant: 'gateway.networking.k8s.io',
} as const;

/** A config kind's id: its `kind`, except `KubernetesGateway` for the Gateway API's Gateway (see `configKindOf`). */
export type IstioKind = keyof typeof ISTIO_KINDS;

export type IstioConfig =
  | Gateway
  | VirtualService
  | DestinationRule
  | ServiceEntry
  | Sidecar
  | EnvoyFilter
  | PeerAuthentication
  | AuthorizationPolicy
  | RequestAuthentication
  | Telemetry
  | GatewayApiConfig;

/** `kind/namespace/name`: the identity of a stored config object. */
export type ConfigKey = string;

export function configKey(kind: string, namespace: string, name: string): ConfigKey {
  return `${kind}/${namespace}/${name}`;
}

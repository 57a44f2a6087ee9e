import type {
  AuthorizationPolicy,
  DestinationRule,
  EnvoyFilter,
  Gateway,
  IstioConfig,
  MeshConfig,
  MeshService,
  PeerAuthentication,
  RequestAuthentication,
  ServiceEntry,
  Sidecar,
  Telemetry,
  VirtualService,
} from '../types';
import { isIstioGateway } from '../gateway-api/guards';

/** The config collections of a MeshSnapshot (a MeshSnapshot is a valid AnalysisInput). */
export interface ConfigCollections {
  gateways: Gateway[];
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  serviceEntries: ServiceEntry[];
  sidecars: Sidecar[];
  peerAuthentications: PeerAuthentication[];
  authorizationPolicies: AuthorizationPolicy[];
  requestAuthentications: RequestAuthentication[];
  telemetries: Telemetry[];
  envoyFilters: EnvoyFilter[];
}

export interface AnalysisInput {
  readonly domainSuffix?: string;
  readonly gateways?: readonly Gateway[];
  readonly virtualServices?: readonly VirtualService[];
  readonly destinationRules?: readonly DestinationRule[];
  readonly serviceEntries?: readonly ServiceEntry[];
  readonly services?: readonly MeshService[];
  readonly peerAuthentications?: readonly PeerAuthentication[];
  readonly authorizationPolicies?: readonly AuthorizationPolicy[];
  readonly telemetries?: readonly Telemetry[];
  /** The mesh config in force; absent = unknown (provider checks are skipped). */
  readonly meshConfig?: MeshConfig;
  readonly rootNamespace?: string;
}

export function emptyCollections(): ConfigCollections {
  return {
    gateways: [],
    virtualServices: [],
    destinationRules: [],
    serviceEntries: [],
    sidecars: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    requestAuthentications: [],
    telemetries: [],
    envoyFilters: [],
  };
}

/** Group config objects by kind, keeping their order. */
export function collectConfigs(objects: readonly IstioConfig[]): ConfigCollections {
  const c = emptyCollections();
  for (const o of objects) {
    switch (o.kind) {
      case 'Gateway': if (isIstioGateway(o)) c.gateways.push(o); break;
      case 'VirtualService': c.virtualServices.push(o); break;
      case 'DestinationRule': c.destinationRules.push(o); break;
      case 'ServiceEntry': c.serviceEntries.push(o); break;
      case 'Sidecar': c.sidecars.push(o); break;
      case 'PeerAuthentication': c.peerAuthentications.push(o); break;
      case 'AuthorizationPolicy': c.authorizationPolicies.push(o); break;
      case 'RequestAuthentication': c.requestAuthentications.push(o); break;
      case 'Telemetry': c.telemetries.push(o); break;
      case 'EnvoyFilter': c.envoyFilters.push(o); break;
    }
  }
  return c;
}

import type { AuthorizationPolicy, DestinationRule, Gateway, MeshConfig, MeshService, PeerAuthentication, Telemetry, VirtualService } from '../../types';
import type { HostIndex } from '../hosts';
import type { AnalysisMessage } from '../messages';

/** What every analyzer reads: the config collections and the host index, all read-only. */
export interface AnalysisContext {
  readonly domainSuffix: string;
  readonly gateways: readonly Gateway[];
  readonly virtualServices: readonly VirtualService[];
  readonly destinationRules: readonly DestinationRule[];
  readonly hosts: HostIndex;
  readonly services: readonly MeshService[];
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly authorizationPolicies: readonly AuthorizationPolicy[];
  readonly telemetries: readonly Telemetry[];
  /** The mesh config in force; undefined when the caller does not know it. */
  readonly meshConfig: MeshConfig | undefined;
  /** Istio's root namespace (mesh-wide policies), `istio-system` unless given. */
  readonly rootNamespace: string;
}

export type Analyzer = (ctx: AnalysisContext) => AnalysisMessage[];

export const nsOf = (o: { metadata: { namespace?: string } }): string => o.metadata.namespace ?? 'default';

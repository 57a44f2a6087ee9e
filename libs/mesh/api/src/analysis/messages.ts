import type { IstioConfig } from '../types';

export type AnalysisLevel = 'Error' | 'Warning' | 'Info';

export interface ResourceRef {
  kind: string;
  namespace: string;
  name: string;
}

/** One finding, shaped like istioctl analyze's messages (codes and texts from Istio's messages.yaml). */
export interface AnalysisMessage {
  level: AnalysisLevel;
  /** Stable code, e.g. `IST0101`. */
  code: string;
  /** Istio's message name, e.g. `ReferencedResourceNotFound`. */
  name: string;
  /** `VirtualService default/reviews` */
  origin: string;
  message: string;
  resource: ResourceRef;
}

export function refOf(config: IstioConfig): ResourceRef {
  return { kind: config.kind, namespace: config.metadata.namespace ?? 'default', name: config.metadata.name };
}

function make(level: AnalysisLevel, code: string, name: string, r: ResourceRef, message: string): AnalysisMessage {
  return { level, code, name, origin: `${r.kind} ${r.namespace}/${r.name}`, message, resource: r };
}

/** IST0101: `Referenced host+subset in destinationrule not found: "reviews+v1"` */
export const referencedResourceNotFound = (r: ResourceRef, reftype: string, refval: string): AnalysisMessage =>
  make('Error', 'IST0101', 'ReferencedResourceNotFound', r, `Referenced ${reftype} not found: ${JSON.stringify(refval)}`);

/** IST0106: schema validation errors (also Istio's validation-webhook semantic checks). */
export const schemaValidationError = (r: ResourceRef, err: string): AnalysisMessage =>
  make('Error', 'IST0106', 'SchemaValidationError', r, `Schema validation error: ${err}`);

export const conflictingMeshGatewayVirtualServiceHosts = (r: ResourceRef, virtualServices: string, host: string): AnalysisMessage =>
  make(
    'Error',
    'IST0109',
    'ConflictingMeshGatewayVirtualServiceHosts',
    r,
    `The VirtualServices ${virtualServices} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
  );

export const virtualServiceDestinationPortSelectorRequired = (r: ResourceRef, destHost: string, ports: number[]): AnalysisMessage =>
  make(
    'Error',
    'IST0112',
    'VirtualServiceDestinationPortSelectorRequired',
    r,
    `This VirtualService routes to a service ${JSON.stringify(destHost)} that exposes multiple ports [${ports.join(' ')}]. Specifying a port in the destination is required to disambiguate.`,
  );

/** IST0113: a DestinationRule and a PeerAuthentication disagree about mTLS for a host:port. */
export const mtlsPolicyConflict = (r: ResourceRef, host: string, destinationRule: string, drMtls: boolean, policy: string, policyMode: string): AnalysisMessage =>
  make(
    'Error',
    'IST0113',
    'MTLSPolicyConflict',
    r,
    `A DestinationRule and Policy are in conflict with regards to mTLS for host ${host}. The DestinationRule ${JSON.stringify(destinationRule)} specifies that mTLS must be ${String(drMtls)} but the Policy object ${JSON.stringify(policy)} specifies ${policyMode}.`,
  );

export const virtualServiceUnreachableRule = (r: ResourceRef, ruleno: string, reason: string): AnalysisMessage =>
  make('Warning', 'IST0130', 'VirtualServiceUnreachableRule', r, `VirtualService rule ${ruleno} not used (${reason}).`);

export const virtualServiceIneffectiveMatch = (r: ResourceRef, ruleno: string, matchno: string, dupno: string): AnalysisMessage =>
  make(
    'Info',
    'IST0131',
    'VirtualServiceIneffectiveMatch',
    r,
    `VirtualService rule ${ruleno} match ${matchno} is not used (duplicate/overlapping match in rule ${dupno}).`,
  );

/**
 * IST0901 (Trellis-specific; Istio has no such message, Trellis codes are IST09xx): a rule uses
 * HTTP-only fields where every selected port is TCP (analyzers/authz-http-on-tcp.ts).
 */
export const authorizationPolicyHttpFieldOnTcpPort = (r: ResourceRef, rule: number, fields: readonly string[], services: readonly string[], action: string): AnalysisMessage =>
  make(
    'Warning',
    'IST0901',
    'AuthorizationPolicyHttpFieldOnTcpPort',
    r,
    `AuthorizationPolicy rule ${rule} uses HTTP-only fields (${fields.join(', ')}) but every port of the selected workloads' services (${services.join(', ')}) is TCP: ` +
      (action === 'ALLOW' ? 'the rule never matches there, so it allows nothing.' : `those fields are ignored there, so the ${action} rule matches more than written.`),
  );

/**
 * IST0902 (Trellis-specific, IST09xx): a Telemetry names a provider that neither the mesh config's
 * `extensionProviders` nor Istio's built-ins define; istiod silently skips it, so that logging,
 * tracing or metrics configuration does nothing (analyzers/telemetry-providers.ts).
 */
export const telemetryUnknownProvider = (r: ResourceRef, field: string, provider: string): AnalysisMessage =>
  make(
    'Warning',
    'IST0902',
    'TelemetryUnknownProvider',
    r,
    `${field} names provider "${provider}", which meshConfig.extensionProviders does not define: it is ignored, so this configuration has no effect.`,
  );

/** `Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v1"` */
export function formatMessage(m: Pick<AnalysisMessage, 'level' | 'code' | 'origin' | 'message'>): string {
  return `${m.level} [${m.code}] (${m.origin}) ${m.message}`;
}

import type { IstioKind } from '../types';
import { destinationRuleSpec } from './destination-rule';
import { gatewaySpec } from './gateway';
import type { JsonSchema } from './json-schema';
import { authorizationPolicySpec, peerAuthenticationSpec, requestAuthenticationSpec } from './security';
import { serviceEntrySpec } from './service-entry';
import { sidecarSpec } from './sidecar';
import { envoyFilterSpec } from './envoy-filter';
import { telemetrySpec } from './telemetry';
import { virtualServiceSpec } from './virtual-service';
import { GATEWAY_API_KIND_INFO } from './gateway-api-kinds';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'date' | 'integer';
  jsonPath: string;
  description?: string;
}

/** Everything Trellis knows about one Istio kind: API group, versions, names, spec schema. */
export interface KindInfo {
  /** The kind's id (the store's key); the object's `kind` is `manifestKind` when set. */
  kind: IstioKind;
  /** The `kind` field of its objects when it differs from the id (the Gateway API's `Gateway`). */
  manifestKind?: string;
  group: 'networking.istio.io' | 'security.istio.io' | 'telemetry.istio.io' | 'gateway.networking.k8s.io';
  /** Served versions; the last one is the storage version. */
  versions: readonly string[];
  plural: string;
  singular: string;
  shortNames: readonly string[];
  categories: readonly string[];
  printerColumns: readonly PrinterColumn[];
  spec: () => JsonSchema;
}

const NETWORKING_VERSIONS = ['v1alpha3', 'v1beta1', 'v1'] as const;
const SECURITY_VERSIONS = ['v1beta1', 'v1'] as const;
const TELEMETRY_VERSIONS = ['v1alpha1', 'v1'] as const;

const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC. Populated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md#metadata',
};

const networking = (kind: IstioKind, plural: string, shortNames: string[], spec: () => JsonSchema, columns: PrinterColumn[]): KindInfo => ({
  kind,
  group: 'networking.istio.io',
  versions: NETWORKING_VERSIONS,
  plural,
  singular: kind.toLowerCase(),
  shortNames,
  categories: ['istio-io', 'networking-istio-io'],
  printerColumns: [...columns, AGE],
  spec,
});

const security = (kind: IstioKind, plural: string, shortNames: string[], spec: () => JsonSchema, columns: PrinterColumn[]): KindInfo => ({
  kind,
  group: 'security.istio.io',
  versions: SECURITY_VERSIONS,
  plural,
  singular: kind.toLowerCase(),
  shortNames,
  categories: ['istio-io', 'security-istio-io'],
  printerColumns: [...columns, AGE],
  spec,
});

export const KIND_INFO: Readonly<Record<IstioKind, KindInfo>> = {
  Gateway: networking('Gateway', 'gateways', ['gw'], gatewaySpec, []),
  VirtualService: networking('VirtualService', 'virtualservices', ['vs'], virtualServiceSpec, [
    { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The names of gateways and sidecars that should apply these routes' },
    { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The destination hosts to which traffic is being sent' },
  ]),
  DestinationRule: networking('DestinationRule', 'destinationrules', ['dr'], destinationRuleSpec, [
    { name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The name of a service from the service registry' },
  ]),
  ServiceEntry: networking('ServiceEntry', 'serviceentries', ['se'], serviceEntrySpec, [
    { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The hosts associated with the ServiceEntry' },
    { name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)' },
    { name: 'Resolution', type: 'string', jsonPath: '.spec.resolution', description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)' },
  ]),
  Sidecar: networking('Sidecar', 'sidecars', [], sidecarSpec, []),
  EnvoyFilter: { ...networking('EnvoyFilter', 'envoyfilters', [], envoyFilterSpec, []), versions: ['v1alpha3'] },
  PeerAuthentication: security('PeerAuthentication', 'peerauthentications', ['pa'], peerAuthenticationSpec, [
    { name: 'Mode', type: 'string', jsonPath: '.spec.mtls.mode', description: 'Defines the mTLS mode used for peer authentication.' },
  ]),
  AuthorizationPolicy: security('AuthorizationPolicy', 'authorizationpolicies', ['ap'], authorizationPolicySpec, [
    { name: 'Action', type: 'string', jsonPath: '.spec.action', description: 'The operation to take.' },
  ]),
  RequestAuthentication: security('RequestAuthentication', 'requestauthentications', ['ra'], requestAuthenticationSpec, []),
  Telemetry: {
    kind: 'Telemetry',
    group: 'telemetry.istio.io',
    versions: TELEMETRY_VERSIONS,
    plural: 'telemetries',
    singular: 'telemetry',
    shortNames: ['telemetry'],
    categories: ['istio-io', 'telemetry-istio-io'],
    printerColumns: [AGE],
    spec: telemetrySpec,
  },
  ...GATEWAY_API_KIND_INFO,
};

export const ALL_KINDS: readonly KindInfo[] = Object.values(KIND_INFO);

/**
 * Resolve a user-supplied kind name: `VirtualService`, `virtualservice`, `virtualservices`, `vs`
 * (case-insensitive). Returns undefined for anything else.
 */
export function resolveKind(name: string): KindInfo | undefined {
  const n = name.toLowerCase();
  const dot = n.indexOf('.');
  if (dot > 0) {
    const [resource, group] = [n.slice(0, dot), n.slice(dot + 1)];
    return ALL_KINDS.find((k) => k.group === group && (k.singular === resource || k.plural === resource));
  }
  return ALL_KINDS.find((k) => k.singular === n || k.plural === n || k.shortNames.includes(n)) ?? ALL_KINDS.find((k) => k.kind.toLowerCase() === n);
}

/** `apiVersion` values accepted for a kind, e.g. `networking.istio.io/v1alpha3`. */
export function apiVersionsOf(info: KindInfo): string[] {
  return info.versions.map((v) => `${info.group}/${v}`);
}

/** The preferred (storage) apiVersion of a kind, e.g. `networking.istio.io/v1`. */
export function preferredApiVersion(info: KindInfo): string {
  return `${info.group}/${info.versions[info.versions.length - 1] ?? 'v1'}`;
}

export function isIstioKind(kind: unknown): kind is IstioKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(KIND_INFO, kind);
}

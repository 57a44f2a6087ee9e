/**
 * Kiali's names for Istio object types: the plural used in URLs and `objects=` filters
 * (`virtualservices`), the list key (`virtualServices`), the details key (`virtualService`) and the
 * validation key (`virtualservice`), mapped to the Istio kinds Trellis stores. WorkloadEntry and
 * EnvoyFilter are kinds Trellis does not store: they list empty, and writes to them are refused.
 */
import type { IstioKind } from '@trellis/mesh-api';

export interface ObjectType {
  /** URL segment and `objects=` name. */
  readonly plural: string;
  readonly listKey: string;
  readonly detailKey: string;
  /** Key under `validations`. */
  readonly validationKey: string;
  readonly kind: IstioKind | undefined;
  /** Listed as `{items, permissions}` rather than a plain array. */
  readonly wrapped: boolean;
}

const type = (plural: string, listKey: string, kind: IstioKind | undefined, wrapped = false): ObjectType => ({
  plural,
  listKey,
  detailKey: listKey.replace(/ies$/, 'y').replace(/s$/, ''),
  validationKey: plural.replace(/ies$/, 'y').replace(/s$/, ''),
  kind,
  wrapped,
});

export const OBJECT_TYPES: readonly ObjectType[] = [
  type('gateways', 'gateways', 'Gateway'),
  type('virtualservices', 'virtualServices', 'VirtualService', true),
  type('destinationrules', 'destinationRules', 'DestinationRule', true),
  type('serviceentries', 'serviceEntries', 'ServiceEntry'),
  type('workloadentries', 'workloadEntries', undefined),
  type('envoyfilters', 'envoyFilters', undefined),
  type('sidecars', 'sidecars', 'Sidecar'),
  type('authorizationpolicies', 'authorizationPolicies', 'AuthorizationPolicy'),
  type('peerauthentications', 'peerAuthentications', 'PeerAuthentication'),
  type('requestauthentications', 'requestAuthentications', 'RequestAuthentication'),
];

export function objectTypeByPlural(plural: string): ObjectType | undefined {
  return OBJECT_TYPES.find((t) => t.plural === plural.toLowerCase());
}

export function objectTypeByKind(kind: string): ObjectType | undefined {
  return OBJECT_TYPES.find((t) => t.kind === kind);
}

/**
 * xDS resource types as the ADS protocol orders them. The type URLs themselves are the contract's
 * (`@trellis/mesh-envoy`); this module adds only push order and state-of-the-world semantics.
 */
import { TYPE_URLS, type XdsType } from '@trellis/mesh-envoy';

export { TYPE_PREFIX, TYPE_URLS } from '@trellis/mesh-envoy';
/** The xDS resource types Trellis serves, by short name (istioctl's spelling). */
export type XdsTypeShort = XdsType;

/**
 * Push order (istiod's PushOrder, go-control-plane's ResponseType order): CDS → EDS → LDS → RDS → SDS.
 * SDS is never wildcard: a proxy gets only the secrets it names (gateways' `kubernetes://…`).
 */
export const PUSH_ORDER: readonly XdsTypeShort[] = ['CDS', 'EDS', 'LDS', 'RDS', 'SDS'];

/** Full-state types: every response carries every resource the client should have. */
export function isFullStateType(type: XdsTypeShort): boolean {
  return type === 'LDS' || type === 'CDS';
}

export function typeShortOf(typeUrl: string): XdsTypeShort | undefined {
  for (const short of PUSH_ORDER) {
    if (TYPE_URLS[short] === typeUrl) return short;
  }
  return undefined;
}

/** One fresh value per type (per-stream state tables). */
export function perType<T>(make: (type: XdsTypeShort) => T): Record<XdsTypeShort, T> {
  return { CDS: make('CDS'), EDS: make('EDS'), LDS: make('LDS'), RDS: make('RDS'), SDS: make('SDS') };
}

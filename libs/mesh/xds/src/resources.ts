import { TrellisError } from '@trellis/shared';
import type { XdsResources } from '@trellis/mesh-envoy';
import type { XdsTypeShort } from './proto/type-urls';

/**
 * Any Envoy v3 resource as a plain object in the contract shape (docs/xds-resources.md): what the
 * server encodes and the client decodes without knowing its type. Every message of
 * `@trellis/mesh-envoy` is assignable to it.
 */
export type XdsResource = Record<string, unknown>;

/** Everything one proxy should run: the contract's `XdsResources`, what `translate(snapshot, proxy)` returns. */
export type { XdsResources };

export function emptyResources(): XdsResources {
  return { listeners: [], routes: [], clusters: [], endpoints: [] };
}

const FIELD_OF: Readonly<Record<XdsTypeShort, keyof XdsResources>> = {
  LDS: 'listeners',
  RDS: 'routes',
  CDS: 'clusters',
  EDS: 'endpoints',
  SDS: 'secrets',
};

const NONE: readonly XdsResource[] = Object.freeze([]);

export function resourcesOfType(all: XdsResources, type: XdsTypeShort): readonly XdsResource[] {
  return all[FIELD_OF[type]] ?? NONE;
}

export function withType(all: XdsResources, type: XdsTypeShort, list: readonly XdsResource[]): XdsResources {
  return { ...all, [FIELD_OF[type]]: list };
}

/** The resource's name: `name` for everything but ClusterLoadAssignment (`cluster_name`). */
export function resourceName(type: XdsTypeShort, resource: XdsResource): string {
  const name = type === 'EDS' ? resource['cluster_name'] : resource['name'];
  if (typeof name !== 'string' || name === '') {
    throw new TrellisError('XDS_RESOURCE_UNNAMED', 'xDS resource has no name', { type });
  }
  return name;
}

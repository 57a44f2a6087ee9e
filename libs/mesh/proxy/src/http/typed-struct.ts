import type { TypedConfig } from '../config/envoy-types';
import { KNOWN_TYPES, invalid } from '../config/proto';

/**
 * `udpa.type.v1.TypedStruct` / `xds.type.v3.TypedStruct` (how Istio's EnvoyFilter samples write
 * filter configs): `{ type_url, value: Struct }` becomes `{ '@type': type_url, ...value }`, the same
 * shape a packed Any decodes to. Anything else is returned as it is.
 */
export function unwrapTypedStruct(resource: string, config: TypedConfig): TypedConfig {
  const type = config['@type'];
  if (type !== KNOWN_TYPES.udpaTypedStruct && type !== KNOWN_TYPES.xdsTypedStruct) return config;
  const url = config['type_url'];
  if (typeof url !== 'string' || url === '') throw invalid(resource, 'TypedStruct without type_url');
  const value = config['value'];
  const fields = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return { ...fields, '@type': url };
}

import type { EnvoyObject } from '../client/api-types';

/** Reads a nested field of an Envoy object (`get(c, 'metadata', 'filter_metadata', 'istio')`). */
export function get(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function list(value: unknown): EnvoyObject[] {
  return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as EnvoyObject[]) : [];
}

/**
 * istioctl's renderConfig: `/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews`
 * → `reviews.default`.
 */
export function renderConfigPath(path: string): string {
  if (!path) return '';
  const pieces = path.split('/');
  if (pieces[1] === 'apis' && pieces[4] === 'namespaces' && pieces.length === 8) return `${pieces[7]}.${pieces[5]}`;
  return '<unknown>';
}

/** The `istio.config` path in an object's filter metadata, rendered as `name.namespace`. */
export function istioConfigOf(object: unknown): string {
  return renderConfigPath(str(get(object, 'metadata', 'filter_metadata', 'istio', 'config')));
}

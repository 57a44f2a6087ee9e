import type { Cluster, ClusterLoadAssignment, Listener, Metadata, Received, RouteConfiguration } from '@trellis/mesh-envoy';

/**
 * The config dump's resources as the CLI reads them: `@trellis/mesh-envoy`'s contract types as
 * received (every field optional, read-only). The control plane's plain JSON objects are assignable.
 */
export type DumpListener = Received<Listener>;
export type DumpRouteConfiguration = Received<RouteConfiguration>;
export type DumpCluster = Received<Cluster>;
export type DumpClusterLoadAssignment = Received<ClusterLoadAssignment>;

/** Reads a nested field of a plain object (`get(o.spec, 'hosts')`), for objects without a contract type. */
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

/** The `istio.config` path in a resource's filter metadata, rendered as `name.namespace`. */
export function istioConfigOf(resource: { readonly metadata?: Received<Metadata> }): string {
  return renderConfigPath(str(resource.metadata?.filter_metadata?.istio?.config));
}

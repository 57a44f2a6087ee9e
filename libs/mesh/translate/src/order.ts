import type { Resource } from '@trellis/mesh-api';

type AnyResource = Resource<string, unknown>;

export function namespaceOf(r: AnyResource): string {
  return r.metadata.namespace ?? 'default';
}

/** Istio orders config by creation time, then namespace/name: this is the stable input order. */
function byCreation(a: AnyResource, b: AnyResource): number {
  const ka = `${a.metadata.creationTimestamp ?? ''}\u0000${namespaceOf(a)}\u0000${a.metadata.name}`;
  const kb = `${b.metadata.creationTimestamp ?? ''}\u0000${namespaceOf(b)}\u0000${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function sortedByCreation<T extends AnyResource>(items: readonly T[]): T[] {
  return [...items].sort(byCreation);
}

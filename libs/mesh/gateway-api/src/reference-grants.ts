import type { ReferenceGrant } from '@trellis/mesh-api';

/** Who refers (kind in `fromGroup`, in `fromNamespace`) to what (`toKind` `toName` in `toNamespace`). */
export interface Reference {
  fromGroup: string;
  fromKind: string;
  fromNamespace: string;
  toGroup: string;
  toKind: string;
  toNamespace: string;
  toName: string;
}

/**
 * The spec's ReferenceGrant rule: a reference into another namespace is allowed only when a
 * ReferenceGrant in the target namespace lists the referrer's group/kind/namespace in `from` and
 * the target's group/kind (and name, when given) in `to`. Same-namespace references need none.
 */
export function referenceAllowed(grants: readonly ReferenceGrant[], r: Reference): boolean {
  if (r.fromNamespace === r.toNamespace) return true;
  return grants.some(
    (g) =>
      (g.metadata.namespace ?? 'default') === r.toNamespace &&
      g.spec.from.some((f) => f.group === r.fromGroup && f.kind === r.fromKind && f.namespace === r.fromNamespace) &&
      g.spec.to.some((t) => t.group === r.toGroup && t.kind === r.toKind && (t.name === undefined || t.name === '' || t.name === r.toName)),
  );
}

/**
 * The `api/namespaces/{ns}/istio` body (contract §4.10): every object type's key present, VirtualServices
 * and DestinationRules as `{items, permissions}`, the rest plain arrays, the objects as stored.
 */
import type { IstioConfig } from '@trellis/mesh-api';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import { permissionsFor } from './startup';
import type { Validations } from './validations';

export type IstioConfigList = Record<string, unknown> & { namespace: { name: string }; validations: Validations };

/** The types an `objects=a,b` filter names (all when empty); unknown names are ignored, as Kiali does. */
export function requestedTypes(objects: string | undefined): ObjectType[] {
  const names = (objects ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  return names.length === 0 ? [...OBJECT_TYPES] : OBJECT_TYPES.filter((t) => names.includes(t.plural));
}

export function istioConfigList(namespace: string, byType: ReadonlyMap<string, readonly IstioConfig[]>, validations: Validations): IstioConfigList {
  const out: IstioConfigList = { namespace: { name: namespace }, validations };
  for (const t of OBJECT_TYPES) {
    const items = [...(byType.get(t.plural) ?? [])];
    out[t.listKey] = t.wrapped ? { items, permissions: permissionsFor(t.plural) } : items;
  }
  return out;
}

import { parseDocument } from 'yaml';
import { TrellisError } from '@trellis/shared';
import type { Component, DeployObject } from './deploy-manifests';

/** One MeshConfig field to write: its path inside MeshConfig and its value. */
export interface MeshConfigSet {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

/**
 * A MeshConfig tree as sets, leaf by leaf (maps are walked, lists and scalars set whole), so a field of the
 * ConfigMap that the tree does not name is kept (`rootNamespace`, `trustDomain`).
 */
export function meshConfigSets(tree: Readonly<Record<string, unknown>>, at: readonly (string | number)[] = []): MeshConfigSet[] {
  return Object.entries(tree).flatMap(([k, v]) => {
    const path = [...at, k];
    const isMap = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
    return isMap ? meshConfigSets(v as Record<string, unknown>, path) : [{ path, value: v }];
  });
}

const isMeshConfigMap = (o: DeployObject): boolean => o.kind === 'ConfigMap' && o.metadata.name === 'istio';

/** The `mesh` YAML of `istio` with every set applied, in order (comments and other fields kept). */
function setMesh(configMap: DeployObject, sets: readonly MeshConfigSet[]): DeployObject {
  const data = (configMap['data'] ?? {}) as Record<string, string>;
  const doc = parseDocument(data['mesh'] ?? '');
  if (doc.errors.length > 0) throw new TrellisError('MESH_CONFIG_INVALID', `ConfigMap istio: mesh does not parse: ${doc.errors[0]?.message ?? ''}`, {});
  for (const s of sets) doc.setIn(s.path, s.value);
  return { ...configMap, data: { ...data, mesh: doc.toString() } };
}

/** The components with `--set meshConfig.*` written into the `istio` ConfigMap (deploy/control-plane/configmap.yaml). */
export function withMeshConfigSets(components: readonly Component[], sets: readonly MeshConfigSet[]): Component[] {
  if (sets.length === 0) return [...components];
  let found = false;
  const out = components.map((c) => ({
    ...c,
    manifests: c.manifests.map((m) => {
      if (!isMeshConfigMap(m.object)) return m;
      found = true;
      return { ...m, object: setMesh(m.object, sets) };
    }),
  }));
  if (!found) throw new TrellisError('MESH_CONFIG_MISSING', 'deploy/ has no istio ConfigMap to write meshConfig into', {});
  return out;
}

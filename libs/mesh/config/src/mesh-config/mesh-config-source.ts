import { defaultMeshConfig, type MeshConfig } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { parse } from 'yaml';

export const MESH_CONFIG_INVALID = 'MESH_CONFIG_INVALID';

/**
 * Where Istio's MeshConfig comes from: local mode `<state>/mesh.yaml` (or `--mesh-config <file>`),
 * Kubernetes mode the `istio` ConfigMap's `mesh` key. The snapshot builder reads it like the store.
 */
export interface MeshConfigSource {
  /** The current MeshConfig, Istio's defaults under what the user set. */
  meshConfig(): MeshConfig;
  /** Called after each effective change; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Istio's defaults, then the user's top-level fields (istiod ApplyMeshConfigDefaults, one level deep). */
export function withMeshDefaults(user: MeshConfig): MeshConfig {
  return { ...defaultMeshConfig(), ...user };
}

function checkShape(doc: Record<string, unknown>, origin: string): void {
  const providers = doc['extensionProviders'];
  if (providers !== undefined && !(Array.isArray(providers) && providers.every((p) => isObject(p) && typeof p['name'] === 'string'))) {
    throw new TrellisError(MESH_CONFIG_INVALID, `${origin}: extensionProviders must be a list of objects with a name`, { origin, field: 'extensionProviders' });
  }
  for (const field of ['accessLogFile', 'accessLogFormat', 'rootNamespace', 'trustDomain']) {
    if (doc[field] !== undefined && typeof doc[field] !== 'string') {
      throw new TrellisError(MESH_CONFIG_INVALID, `${origin}: ${field} must be a string`, { origin, field });
    }
  }
}

/**
 * Protobuf's JSON mapping reads integers written as strings (`port: "9000"`, as Istio's docs write
 * extension providers): the provider ports become numbers here, once, for everything downstream.
 */
function normalizePorts(doc: Record<string, unknown>): void {
  for (const provider of (doc['extensionProviders'] as Record<string, unknown>[] | undefined) ?? []) {
    for (const kind of Object.values(provider)) {
      if (isObject(kind) && typeof kind['port'] === 'string' && /^\d+$/.test(kind['port'])) kind['port'] = Number(kind['port']);
    }
  }
}

/** MeshConfig YAML (the ConfigMap's `mesh` key, mesh.yaml): empty = nothing set; anything but a mapping is an error. */
export function parseMeshConfig(text: string, origin: string): MeshConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new TrellisError(MESH_CONFIG_INVALID, `${origin}: ${(e as Error).message}`, { origin });
  }
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc)) throw new TrellisError(MESH_CONFIG_INVALID, `${origin}: MeshConfig must be a YAML mapping`, { origin });
  checkShape(doc, origin);
  normalizePorts(doc);
  return doc as MeshConfig;
}

/** A MeshConfig that never changes (tests; no source configured). */
export function staticMeshConfig(user: MeshConfig = {}): MeshConfigSource {
  const value = withMeshDefaults(user);
  return { meshConfig: () => value, onChange: () => () => undefined };
}

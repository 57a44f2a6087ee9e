import { InvalidArgumentError } from 'commander';
import { parse, parseDocument } from 'yaml';
import { TrellisError } from '@trellis/shared';
import type { Component, DeployObject } from './deploy-manifests';

/** One `--set meshConfig.<path>=<value>`: the path inside MeshConfig, the value as YAML reads it. */
export interface MeshConfigSet {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

const PREFIX = 'meshConfig.';
const SEGMENT = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[\d+\])*)$/;

/**
 * istioctl's `--set meshConfig.accessLogFile=/dev/stdout` (also `defaultConfig.tracing.sampling=100`,
 * `extensionProviders[0].name=ext`): the value is a YAML scalar (`true`, `100`, `/dev/stdout`; empty = "").
 */
export function parseMeshConfigSet(arg: string): MeshConfigSet {
  const eq = arg.indexOf('=');
  const key = eq < 0 ? arg : arg.slice(0, eq);
  if (eq < 0 || !key.startsWith(PREFIX) || key.length === PREFIX.length) {
    throw new InvalidArgumentError(`"${arg}": expected meshConfig.<field>=<value> (e.g. meshConfig.accessLogFile=/dev/stdout)`);
  }
  const path: (string | number)[] = [];
  for (const part of key.slice(PREFIX.length).split('.')) {
    const m = SEGMENT.exec(part);
    if (m === null) throw new InvalidArgumentError(`"${arg}": invalid path segment "${part}"`);
    path.push(m[1] ?? part, ...[...(m[2] ?? '').matchAll(/\[(\d+)\]/g)].map((i) => Number(i[1])));
  }
  const raw = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = raw === '' ? '' : (parse(raw) as unknown);
  } catch {
    value = raw;
  }
  return { path, value: value ?? '' };
}

/** commander's collector for a repeatable `--set`. */
export function collectMeshConfigSet(arg: string, previous: MeshConfigSet[]): MeshConfigSet[] {
  return [...previous, parseMeshConfigSet(arg)];
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

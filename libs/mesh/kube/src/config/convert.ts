import {
  KIND_INFO,
  manifestKindOf,
  validateConfig,
  type AnyResource,
  type DestinationRule,
  type IstioConfig,
  type IstioKind,
  type ObjectMeta,
  type ValidateOptions,
  type ValidationError,
} from '@trellis/mesh-api';
import type { KubeObject } from '../client/types';

/** A custom resource as the API server returns it. */
export interface IstioObject extends KubeObject {
  spec?: unknown;
  status?: unknown;
}

export type Conversion = { config: IstioConfig; errors: [] } | { config: undefined; errors: ValidationError[] };

/**
 * The envelope Trellis keeps of a custom resource, not validated yet: user metadata plus
 * resourceVersion/generation/creationTimestamp, and the spec. Without an `apiVersion` in `raw`, the
 * kind's group and the `version` it was read in stand in for it.
 */
export function istioEnvelope(raw: IstioObject, kind: IstioKind, version: string): AnyResource {
  const m = raw.metadata;
  const metadata: ObjectMeta = { name: m.name, namespace: m.namespace ?? 'default' };
  if (m.labels !== undefined) metadata.labels = m.labels;
  if (m.annotations !== undefined) metadata.annotations = m.annotations;
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  if (m.generation !== undefined) metadata.generation = m.generation;
  if (m.creationTimestamp !== undefined) metadata.creationTimestamp = m.creationTimestamp;
  return { apiVersion: raw.apiVersion ?? `${KIND_INFO[kind].group}/${version}`, kind: manifestKindOf(KIND_INFO[kind]), metadata, spec: raw.spec ?? {} };
}

/**
 * Istio's checks before a write (schema, metadata, then the semantic rules a CRD schema cannot
 * express): the valid objects, and every problem found (nothing may be written unless it is empty).
 */
export function validateIstioObjects(objects: readonly unknown[], options: ValidateOptions = {}): { valid: IstioConfig[]; problems: ValidationError[] } {
  const { valid, errors } = validateConfig(objects, options);
  return { valid, problems: [...errors, ...valid.flatMap(semanticErrors)] };
}

/** Istio's semantic rules that a CRD schema cannot express (the validating webhook's job in Istio). */
export function semanticErrors(config: IstioConfig): ValidationError[] {
  const id = { kind: config.kind, namespace: config.metadata.namespace ?? 'default', name: config.metadata.name };
  if (config.kind !== 'DestinationRule') return [];
  const seen = new Set<string>();
  const errors: ValidationError[] = [];
  ((config as DestinationRule).spec.subsets ?? []).forEach((s, i) => {
    if (seen.has(s.name)) errors.push({ ...id, path: `spec.subsets[${i}].name`, message: `duplicate subset name ${JSON.stringify(s.name)}` });
    seen.add(s.name);
  });
  return errors;
}

/** Validate a custom resource read from the API server (in `version`) and turn it into the IstioConfig Trellis serves. */
export function toIstioConfig(raw: IstioObject, kind: IstioKind, version: string): Conversion {
  const { valid, errors } = validateConfig([istioEnvelope(raw, kind, version)]);
  const config = valid[0];
  if (config === undefined) return { config: undefined, errors: errors.map(({ index: _index, ...e }) => e) };
  const semantic = semanticErrors(config);
  return semantic.length > 0 ? { config: undefined, errors: semantic } : { config, errors: [] };
}

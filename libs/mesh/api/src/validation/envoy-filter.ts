import type { EnvoyFilterSpec } from '../types';
import { checkEnvoyFilterPatch } from '../envoy-filter/patches';
import type { FieldProblem } from './ajv-errors';

/**
 * EnvoyFilter beyond the schema (Istio's ValidateEnvoyFilter, plus what Trellis does not apply):
 * workloadSelector and targetRefs are exclusive; every patch must be one Trellis applies, with a
 * value it can push (envoy-filter/patches.ts).
 */
export function checkEnvoyFilter(spec: EnvoyFilterSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (spec.workloadSelector !== undefined && (spec.targetRefs?.length ?? 0) > 0) {
    out.push({ path: 'spec', message: 'only one of targetRefs or workloadSelector can be set' });
  }
  (spec.configPatches ?? []).forEach((p, i) => out.push(...checkEnvoyFilterPatch(p, i).problems));
  return out;
}

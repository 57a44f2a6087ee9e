import type { IstioConfig } from '../types/config';
import { configKey } from '../types/config';
import type { MeshConfig } from '../types/mesh-config';
import type { MeshService } from '../types/registry';
import { validateConfig } from '../validation/validate';
import type { ValidationError } from '../validation/validation-error';
import { collectConfigs } from './analysis-input';
import { analyze } from './analyze';
import type { AnalysisMessage } from './messages';
import { schemaValidationMessages } from './schema-messages';
import { configKindOf } from '../schema/config-kind';

/** More checks over the overlaid config (the Gateway API's, which live in a lib that depends on this one). */
export type OverlayAnalyzer = (configs: readonly IstioConfig[], services: readonly MeshService[]) => AnalysisMessage[];

export interface OverlayInput {
  /** The config in force (the control plane's store, or a cluster's Istio objects). */
  readonly stored: readonly IstioConfig[];
  /** Stored objects that fail validation (a cluster can hold them; the store never does). */
  readonly storedErrors?: readonly ValidationError[];
  /** Objects the user submits (`trellis analyze -f`), not validated yet. */
  readonly submitted: readonly unknown[];
  /** Default namespace of the submitted objects, and the filter on the messages when given. */
  readonly namespace: string | undefined;
  readonly services: readonly MeshService[];
  /** The mesh config in force (Telemetry provider checks); absent = unknown. */
  readonly meshConfig?: MeshConfig;
  readonly analyzers?: readonly OverlayAnalyzer[];
}

const keyOf = (o: IstioConfig): string => configKey(configKindOf(o) ?? o.kind, o.metadata.namespace ?? 'default', o.metadata.name);

/**
 * `istioctl analyze` semantics, one rule for the control plane's /api/v1/analyze and the CLI's cluster
 * mode: the stored config overlaid with the submitted objects (a submitted object replaces the stored
 * one of the same kind/namespace/name, and its stored schema errors), analyzed against the services;
 * objects that fail validation are IST0106 messages.
 */
export function analyzeOverlay(input: OverlayInput): AnalysisMessage[] {
  const { namespace } = input;
  const submitted = validateConfig(input.submitted, { namespace: namespace ?? 'default' });
  const merged = new Map(input.stored.map((o) => [keyOf(o), o] as const));
  for (const o of submitted.valid) merged.set(keyOf(o), o);
  const replaced = new Set(submitted.valid.map(keyOf));
  const storedErrors = (input.storedErrors ?? []).filter((e) => !replaced.has(configKey(e.kind, e.namespace, e.name)));
  const configs = [...merged.values()];
  const messages = [
    ...schemaValidationMessages([...storedErrors, ...submitted.errors]),
    ...analyze({ ...collectConfigs(configs), services: input.services, ...(input.meshConfig !== undefined && { meshConfig: input.meshConfig }) }),
    ...(input.analyzers ?? []).flatMap((a) => a(configs, input.services)),
  ];
  return namespace === undefined ? messages : messages.filter((m) => m.resource.namespace === namespace);
}

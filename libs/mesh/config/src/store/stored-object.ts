import type { IstioConfig } from '@trellis/mesh-api';
import { canonicalJson, deepFreeze } from '@trellis/shared';
import type { ApplyAction } from './config-store';

const userMeta = (o: IstioConfig): unknown => ({ labels: o.metadata.labels ?? {}, annotations: o.metadata.annotations ?? {} });

/** The object as stored next to its previous version: server-managed metadata filled in. */
export function nextStored(
  incoming: IstioConfig,
  previous: IstioConfig | undefined,
  resourceVersion: () => string,
  now: () => Date,
): { object: IstioConfig; action: ApplyAction } {
  const specChanged = previous === undefined || canonicalJson(previous.spec) !== canonicalJson(incoming.spec);
  const metaChanged = previous === undefined || canonicalJson(userMeta(previous)) !== canonicalJson(userMeta(incoming));
  if (previous !== undefined && !specChanged && !metaChanged) return { object: previous, action: 'unchanged' };
  const { resourceVersion: _rv, generation: _g, creationTimestamp: _ct, ...meta } = incoming.metadata;
  const generation = previous === undefined ? 1 : (previous.metadata.generation ?? 1) + (specChanged ? 1 : 0);
  const creationTimestamp = previous?.metadata.creationTimestamp ?? now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { status: _status, ...rest } = incoming;
  const object = { ...rest, metadata: { ...meta, resourceVersion: resourceVersion(), generation, creationTimestamp } } as IstioConfig;
  return { object: deepFreeze(structuredClone(object)), action: previous === undefined ? 'created' : 'configured' };
}

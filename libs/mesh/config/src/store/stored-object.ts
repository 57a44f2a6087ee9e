import type { IstioConfig } from '@trellis/mesh-api';
import type { ApplyAction } from './config-store';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** JSON with sorted keys: equal strings = equal content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

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

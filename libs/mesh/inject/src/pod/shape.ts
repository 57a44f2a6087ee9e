import { InjectErrorCode, injectError } from '../errors';
import type { Pod } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isStringMap(v: unknown): boolean {
  return v === undefined || (isObject(v) && Object.values(v).every((x) => typeof x === 'string'));
}

function namedList(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.every((c) => isObject(c) && typeof c['name'] === 'string'));
}

/** Checks the parts of a pod the injector relies on; throws `INJECT_UNSUPPORTED_POD` with the field. */
export function assertPodShape(value: unknown): asserts value is Pod {
  const fail = (field: string): never => {
    throw injectError(InjectErrorCode.unsupportedPod, 'pod shape not supported by the injector', { field });
  };
  if (!isObject(value)) fail('(root)');
  const pod = value as Record<string, unknown>;
  if (pod['metadata'] !== undefined && !isObject(pod['metadata'])) fail('metadata');
  const meta = (pod['metadata'] ?? {}) as Record<string, unknown>;
  if (!isStringMap(meta['labels'])) fail('metadata.labels');
  if (!isStringMap(meta['annotations'])) fail('metadata.annotations');
  if (!isObject(pod['spec'])) fail('spec');
  const spec = pod['spec'] as Record<string, unknown>;
  if (!Array.isArray(spec['containers']) || spec['containers'].length === 0) fail('spec.containers');
  if (!namedList(spec['containers'])) fail('spec.containers');
  if (!namedList(spec['initContainers'])) fail('spec.initContainers');
  if (!namedList(spec['volumes'])) fail('spec.volumes');
}

/**
 * What a UI write (the wizards' POST and PATCH bodies) becomes before it goes to the control plane's
 * apply: parsed JSON of the URL's object type, in the URL's namespace, without the fields the store
 * manages, weights checked. Bad input is OBJECT_INVALID naming the resource and the field.
 */
import type { AnyResource } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { dropNulls, type Json } from './merge-patch';
import type { ObjectType } from './object-types';
import { checkRouteWeights } from './route-weights';

const MANAGED_METADATA = ['resourceVersion', 'generation', 'creationTimestamp', 'uid', 'managedFields', 'selfLink'];

/** The request body as JSON: axios sends the UI's JSON string as form data, so a string is parsed here. */
export function parseBody(body: unknown, resource: string): Json {
  if (typeof body !== 'string') return (body ?? null) as Json;
  try {
    return JSON.parse(body) as Json;
  } catch {
    throw new TrellisError('OBJECT_INVALID', `${resource}: the body is not valid JSON`, { resource, field: 'body' });
  }
}

export function toWritableObject(type: ObjectType, namespace: string, raw: Json, expectedName?: string): AnyResource {
  const json = dropNulls(raw);
  const resource = `${type.kind ?? type.plural}${expectedName !== undefined ? ` ${namespace}/${expectedName}` : ''}`;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TrellisError('OBJECT_INVALID', `${resource}: the body should be a JSON object`, { resource, field: 'body' });
  const obj = json as Record<string, Json>;
  if (obj['kind'] !== undefined && obj['kind'] !== type.kind) throw new TrellisError('OBJECT_INVALID', `${resource}: kind should be ${type.kind ?? type.plural}, got ${JSON.stringify(obj['kind'])}`, { resource, field: 'kind' });
  const metadata = obj['metadata'];
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || typeof metadata['name'] !== 'string' || metadata['name'] === '') {
    throw new TrellisError('OBJECT_INVALID', `${resource}: metadata.name is required`, { resource, field: 'metadata.name' });
  }
  const name = metadata['name'];
  if (expectedName !== undefined && name !== expectedName) throw new TrellisError('OBJECT_INVALID', `${resource}: metadata.name should be ${expectedName}, got ${name}`, { resource, field: 'metadata.name' });
  if (metadata['namespace'] !== undefined && metadata['namespace'] !== namespace) {
    throw new TrellisError('OBJECT_INVALID', `${resource}: metadata.namespace should be ${namespace}, got ${JSON.stringify(metadata['namespace'])}`, { resource, field: 'metadata.namespace' });
  }
  const cleanMeta: Record<string, Json> = Object.fromEntries(Object.entries(metadata).filter(([k]) => !MANAGED_METADATA.includes(k)));
  if (type.kind === 'VirtualService') checkRouteWeights(name, obj['spec']);
  const { status: _status, ...rest } = obj;
  return { ...rest, apiVersion: typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : 'networking.istio.io/v1beta1', kind: type.kind ?? '', metadata: { ...cleanMeta, namespace, name }, spec: obj['spec'] } as AnyResource;
}

import { configKindOf, KIND_INFO, resolveKind, type KindInfo } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type { ConfigRef } from '../store/config-store';
import { badRequest, notFound } from './http-errors';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `{ "objects": [...] }` → the array (400 otherwise). */
export function objectsOf(body: unknown, required = true): unknown[] {
  if (!isObj(body)) {
    if (!required && (body === undefined || body === null)) return [];
    throw badRequest('request body must be a JSON object', [{ path: '', message: 'must be an object' }]);
  }
  const objects = body['objects'];
  if (objects === undefined && !required) return [];
  if (!Array.isArray(objects)) throw badRequest('"objects" must be an array', [{ path: 'objects', message: 'must be an array' }]);
  return objects;
}

/** The `namespace` query parameter, if present. */
export function namespaceParam(query: unknown): string | undefined {
  const ns = isObj(query) ? query['namespace'] : undefined;
  return typeof ns === 'string' && ns !== '' ? ns : undefined;
}

/** Kind from a URL segment: `VirtualService`, `virtualservice`, `virtualservices`, `vs`. */
export function kindParam(name: string): KindInfo {
  // the kind id as the CLI sends it (`KubernetesGateway`), else any name kubectl accepts
  const info = Object.prototype.hasOwnProperty.call(KIND_INFO, name) ? KIND_INFO[name as keyof typeof KIND_INFO] : resolveKind(name);
  if (info === undefined) throw notFound(`unknown kind ${JSON.stringify(name)}`);
  return info;
}

/** Delete-request objects → refs (only kind and metadata are read); every problem is reported. */
export function refsOf(objects: readonly unknown[], namespace: string): ConfigRef[] {
  const refs: ConfigRef[] = [];
  const details: Obj[] = [];
  objects.forEach((value, index) => {
    const o = isObj(value) ? value : {};
    const meta = isObj(o['metadata']) ? o['metadata'] : {};
    const kindName = typeof o['kind'] === 'string' ? o['kind'] : '';
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    const ns = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : namespace;
    // by kind and group: a Gateway API `Gateway` is not Istio's
    const byGroup = configKindOf({ apiVersion: o['apiVersion'], kind: kindName });
    const info = byGroup === undefined ? resolveKind(kindName) : KIND_INFO[byGroup];
    const problem = (path: string, message: string): number => details.push({ kind: kindName, namespace: ns, name, path, message, index });
    if (info === undefined) problem('kind', `unknown kind ${JSON.stringify(kindName)}`);
    if (name === '') problem('metadata.name', 'required field is missing');
    if (info === undefined || name === '') return;
    const apiVersion = typeof o['apiVersion'] === 'string' ? o['apiVersion'] : undefined;
    refs.push({ kind: info.kind, namespace: ns, name, ...(apiVersion === undefined ? {} : { apiVersion }) });
  });
  if (details.length > 0) throw new TrellisError('VALIDATION_FAILED', `${details.length} invalid object reference(s)`, { details });
  return refs;
}

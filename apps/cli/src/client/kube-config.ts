import { KIND_INFO, resolveKind, validateConfig, type IstioConfig, type IstioKind, type ValidationError } from '@trellis/mesh-api';
import type { IstioObject, KubeList } from '@trellis/mesh-kube';
import { TrellisError } from '@trellis/shared';
import { UNKNOWN_RESOURCE_TYPE } from '../kinds';
import { API_ERROR, isNotFound } from './api-client';
import type { ConfigObject, ObjectResult } from './api-types';
import { toConfigObject, type KubeApi } from './kube-api';

/** Same field manager as the control plane's own writes, so both can update what the other applied. */
const FIELD_MANAGER = 'trellis';

const namespaceOf = (o: IstioConfig): string => o.metadata.namespace ?? 'default';
const versionPart = (apiVersion: string): string => apiVersion.slice(apiVersion.indexOf('/') + 1);

/** The local API's validation failure: `API_ERROR` 422 `VALIDATION_FAILED` with `{kind, namespace, name, path, message}` details. */
export function validationFailed(problems: readonly ValidationError[]): TrellisError {
  const details = problems.map(({ kind, namespace, name, path, message }) => ({ kind, namespace, name, path, message }));
  return new TrellisError(API_ERROR, `${details.length} validation error(s)`, { status: 422, serverCode: 'VALIDATION_FAILED', details });
}

export function kindOf(kind: string): IstioKind {
  const info = resolveKind(kind);
  if (info === undefined) throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'unknown kind', { resource: kind });
  return info.kind;
}

function applyBody(o: IstioConfig): Record<string, unknown> {
  const { name, labels, annotations } = o.metadata;
  const metadata: Record<string, unknown> = { name, namespace: namespaceOf(o) };
  if (labels !== undefined) metadata['labels'] = labels;
  if (annotations !== undefined) metadata['annotations'] = annotations;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, spec: o.spec };
}

async function pathOf(api: KubeApi, o: IstioConfig): Promise<string> {
  const version = versionPart(o.apiVersion);
  const info = KIND_INFO[o.kind];
  if (!(await api.serves(info.group, version, info.plural))) {
    throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'resource type not served', { resource: `${info.plural}.${info.group}/${version}` });
  }
  return api.mk.istioPath(o.kind, version, namespaceOf(o), o.metadata.name);
}

function serverSideApply(api: KubeApi, path: string, o: IstioConfig, dryRun: boolean): Promise<IstioObject> {
  return api.request<IstioObject>('PATCH', path, {
    body: applyBody(o),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: FIELD_MANAGER, force: true, dryRun: dryRun ? 'All' : undefined },
  });
}

/** The API server's reasons for rejecting `o` (schema, admission), or undefined for other errors. */
function rejection(o: IstioConfig, err: unknown): ValidationError[] | undefined {
  if (!(err instanceof TrellisError) || err.code !== API_ERROR || (err.context['status'] !== 422 && err.context['status'] !== 400)) return undefined;
  const id = { kind: o.kind, namespace: namespaceOf(o), name: o.metadata.name };
  const causes = Array.isArray(err.context['causes']) ? (err.context['causes'] as { field: string; message: string }[]) : [];
  return causes.length === 0 ? [{ ...id, path: '', message: err.message }] : causes.map((c) => ({ ...id, path: c.field, message: c.message }));
}

/**
 * Validates locally (schema + Istio's semantic rules), dry-runs every object on the server, then
 * server-side applies them: nothing is written unless every object passes. The action compares the
 * resourceVersion before and after, as the control plane's Kubernetes store does.
 */
export async function applyObjects(api: KubeApi, objects: readonly ConfigObject[], namespace: string): Promise<ObjectResult[]> {
  const { valid, errors } = validateConfig(objects, { namespace });
  const problems = [...errors, ...valid.flatMap((o) => api.mk.semanticErrors(o))];
  if (problems.length > 0) throw validationFailed(problems);
  const paths = await Promise.all(valid.map((o) => pathOf(api, o)));
  for (const [i, o] of valid.entries()) {
    try {
      await serverSideApply(api, paths[i] ?? '', o, true);
    } catch (err) {
      const rejected = rejection(o, err);
      if (rejected === undefined) throw err;
      problems.push(...rejected);
    }
  }
  if (problems.length > 0) throw validationFailed(problems);
  const results: ObjectResult[] = [];
  for (const [i, o] of valid.entries()) {
    const path = paths[i] ?? '';
    const before = (await api.find<IstioObject>('GET', path))?.metadata.resourceVersion;
    const after = (await serverSideApply(api, path, o, false)).metadata.resourceVersion;
    const action = before === undefined ? 'created' : before === after ? 'unchanged' : 'configured';
    results.push({ kind: o.kind, apiVersion: o.apiVersion, namespace: namespaceOf(o), name: o.metadata.name, action });
  }
  return results;
}

/** Deletes each object (by kind, namespace and name); `not found` for the ones that did not exist. */
export async function deleteObjects(api: KubeApi, objects: readonly ConfigObject[], namespace: string): Promise<ObjectResult[]> {
  const results: ObjectResult[] = [];
  for (const o of objects) {
    const kind = kindOf(o.kind);
    const ns = o.metadata.namespace ?? namespace;
    const path = api.mk.istioPath(kind, await api.requireVersion(kind), ns, o.metadata.name);
    const deleted = await api.request('DELETE', path).then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      },
    );
    results.push({ kind, apiVersion: o.apiVersion, namespace: ns, name: o.metadata.name, action: deleted ? 'deleted' : 'not found' });
  }
  return results;
}

export async function listObjects(api: KubeApi, kind: IstioKind, namespace?: string): Promise<ConfigObject[]> {
  const version = await api.requireVersion(kind);
  const list = await api.request<KubeList<IstioObject>>('GET', api.mk.istioPath(kind, version, namespace));
  return list.items.map((item) => toConfigObject(item, kind, version));
}

export async function getObject(api: KubeApi, kind: IstioKind, namespace: string, name: string): Promise<ConfigObject> {
  const version = await api.requireVersion(kind);
  return toConfigObject(await api.request<IstioObject>('GET', api.mk.istioPath(kind, version, namespace, name)), kind, version);
}

export async function deleteObject(api: KubeApi, kind: IstioKind, namespace: string, name: string): Promise<void> {
  await api.request('DELETE', api.mk.istioPath(kind, await api.requireVersion(kind), namespace, name));
}

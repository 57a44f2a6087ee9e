import type { ApplyAction } from '@trellis/mesh-config';
import { formatValidationError, type IstioConfig, type IstioKind, type ValidationError } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { isNotFound, kubeErrorContext } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { istioPath, versionOf } from './istio-resources';

export interface Writer {
  client: KubeClient;
  /** Server-side apply field manager (default `trellis`). */
  fieldManager: string;
}

export interface Written {
  config: IstioConfig;
  action: ApplyAction;
  resourceVersion: string;
}

const ns = (o: IstioConfig): string => o.metadata.namespace ?? 'default';
const pathOf = (o: IstioConfig): string => istioPath(o.kind, versionOf(o.apiVersion), ns(o), o.metadata.name);

/** What Trellis owns in an object: user metadata and spec (server-managed fields are left out). */
function applyBody(o: IstioConfig): Record<string, unknown> {
  const { name, labels, annotations } = o.metadata;
  const metadata: Record<string, unknown> = { name, namespace: ns(o) };
  if (labels !== undefined) metadata['labels'] = labels;
  if (annotations !== undefined) metadata['annotations'] = annotations;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, spec: o.spec };
}

function serverSideApply(w: Writer, o: IstioConfig, dryRun: boolean): Promise<KubeObject> {
  return w.client.request<KubeObject>('PATCH', pathOf(o), {
    body: applyBody(o),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: w.fieldManager, force: true, dryRun: dryRun ? 'All' : undefined },
  });
}

/** The API server's reasons for rejecting `o` (schema violations name the field), or undefined for other errors. */
function rejection(o: IstioConfig, err: unknown): ValidationError[] | undefined {
  const ctx = kubeErrorContext(err);
  if (ctx === undefined || (ctx.status !== 422 && ctx.status !== 400)) return undefined;
  const id = { kind: o.kind, namespace: ns(o), name: o.metadata.name };
  const message = err instanceof Error ? err.message : ctx.reason;
  return ctx.causes.length === 0 ? [{ ...id, path: '', message }] : ctx.causes.map((c) => ({ ...id, path: c.field, message: c.message }));
}

export function validationFailed(errors: readonly ValidationError[]): TrellisError {
  return new TrellisError('VALIDATION_FAILED', `${errors.length} validation error(s): ${errors.map(formatValidationError).join('; ')}`, { details: errors });
}

async function currentVersion(w: Writer, o: IstioConfig): Promise<string | undefined> {
  try {
    return (await w.client.request<KubeObject>('GET', pathOf(o))).metadata.resourceVersion;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Server-side apply every object. A dry run of all objects comes first, so an object the server
 * rejects (CRD schema, admission) fails the whole request before anything is written.
 */
export async function applyToServer(w: Writer, objects: readonly IstioConfig[]): Promise<Written[]> {
  const errors: ValidationError[] = [];
  for (const o of objects) {
    try {
      await serverSideApply(w, o, true);
    } catch (err) {
      const problems = rejection(o, err);
      if (problems === undefined) throw err;
      errors.push(...problems);
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  const written: Written[] = [];
  for (const o of objects) {
    const before = await currentVersion(w, o);
    const after = (await serverSideApply(w, o, false)).metadata.resourceVersion ?? '';
    const action: ApplyAction = before === undefined ? 'created' : before === after ? 'unchanged' : 'configured';
    written.push({ config: o, action, resourceVersion: after });
  }
  return written;
}

/** Delete one object; false when it did not exist. */
export async function deleteFromServer(w: Writer, kind: IstioKind, version: string, namespace: string, name: string): Promise<boolean> {
  try {
    await w.client.request('DELETE', istioPath(kind, version, namespace, name));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

import type { ApplyAction } from '@trellis/mesh-config';
import { configKindOf, formatValidationError, type IstioConfig, type IstioKind, type ValidationError } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { isNotFound, kubeErrorContext } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { deleteIfExists, serverSideApply } from '../client/writes';
import { istioPath, versionOf } from './istio-resources';

/**
 * The server-side apply field manager of every Trellis write (the control plane's store and the
 * `trellis` CLI), so each can update what the other applied.
 */
export const TRELLIS_FIELD_MANAGER = 'trellis';

/** Error code of a rejected write: `context.details` lists the ValidationErrors. */
export const VALIDATION_FAILED = 'VALIDATION_FAILED';

/** Where Istio config is written: a client and the server-side apply field manager. */
export interface IstioWriter {
  client: KubeClient;
  /** Server-side apply field manager (TRELLIS_FIELD_MANAGER unless a caller needs another). */
  fieldManager: string;
}

export interface Written {
  config: IstioConfig;
  action: ApplyAction;
  resourceVersion: string;
}

const ns = (o: IstioConfig): string => o.metadata.namespace ?? 'default';
const pathOf = (o: IstioConfig): string => istioPath(configKindOf(o) ?? o.kind, versionOf(o.apiVersion), ns(o), o.metadata.name);

/** What Trellis owns in an object: user metadata and spec (server-managed fields are left out). */
function applyBody(o: IstioConfig): Record<string, unknown> {
  const { name, labels, annotations } = o.metadata;
  const metadata: Record<string, unknown> = { name, namespace: ns(o) };
  if (labels !== undefined) metadata['labels'] = labels;
  if (annotations !== undefined) metadata['annotations'] = annotations;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, spec: o.spec };
}

function apply(w: IstioWriter, o: IstioConfig, dryRun: boolean): Promise<KubeObject> {
  return serverSideApply(w.client, pathOf(o), applyBody(o), w.fieldManager, { dryRun });
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
  return new TrellisError(VALIDATION_FAILED, `${errors.length} validation error(s): ${errors.map(formatValidationError).join('; ')}`, { details: errors });
}

async function currentVersion(w: IstioWriter, o: IstioConfig): Promise<string | undefined> {
  try {
    return (await w.client.request<KubeObject>('GET', pathOf(o))).metadata.resourceVersion;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Server-side apply every object (create or update, in the version of its `apiVersion`), all or
 * nothing: a dry run of all objects comes first, so an object the server rejects (CRD schema,
 * admission) fails the whole request with `VALIDATION_FAILED` before anything is written. The
 * action compares the resourceVersion before and after: `created`, `configured` or `unchanged`.
 * Validate locally first (`validateIstioObjects`); other API errors are thrown as they are.
 */
export async function applyIstioConfigs(w: IstioWriter, objects: readonly IstioConfig[]): Promise<Written[]> {
  const errors: ValidationError[] = [];
  for (const o of objects) {
    try {
      await apply(w, o, true);
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
    const after = (await apply(w, o, false)).metadata.resourceVersion ?? '';
    const action: ApplyAction = before === undefined ? 'created' : before === after ? 'unchanged' : 'configured';
    written.push({ config: o, action, resourceVersion: after });
  }
  return written;
}

/** Delete one Istio object; false when it did not exist. */
export function deleteIstioObject(w: IstioWriter, kind: IstioKind, version: string, namespace: string, name: string): Promise<boolean> {
  return deleteIfExists(w.client, istioPath(kind, version, namespace, name));
}

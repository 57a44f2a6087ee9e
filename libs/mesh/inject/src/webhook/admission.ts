import { isTrellisError, errorMessage, type Logger } from '@trellis/shared';
import { InjectErrorCode, injectError } from '../errors';
import { createPatch } from '../patch/diff';
import { injectPod } from '../pod/inject';
import type { InjectMeshConfig } from '../pod/mesh-config';
import type { Labels, Pod } from '../pod/types';

const API_VERSION = 'admission.k8s.io/v1';

export interface AdmissionRequest {
  readonly uid: string;
  readonly namespace: string;
  readonly operation: string;
  readonly kind: string;
  readonly object: unknown;
  readonly dryRun: boolean;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: true;
  readonly patchType?: 'JSONPatch';
  /** base64 of the RFC 6902 JSON array. */
  readonly patch?: string;
  readonly warnings?: string[];
  readonly auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewResponse {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(reason: string): never {
  throw injectError(InjectErrorCode.admissionMalformed, 'request body is not an admission.k8s.io/v1 AdmissionReview', { reason });
}

/** Validates the envelope; throws `ADMISSION_MALFORMED` (→ HTTP 400). */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (!isObject(body)) malformed('body is not a JSON object');
  if (body['apiVersion'] !== API_VERSION || body['kind'] !== 'AdmissionReview') malformed('apiVersion/kind mismatch');
  const request = body['request'];
  if (!isObject(request)) malformed('missing request');
  if (typeof request['uid'] !== 'string' || request['uid'] === '') malformed('missing request.uid');
  const kind = isObject(request['kind']) && typeof request['kind']['kind'] === 'string' ? request['kind']['kind'] : '';
  return {
    uid: request['uid'],
    namespace: typeof request['namespace'] === 'string' ? request['namespace'] : '',
    operation: typeof request['operation'] === 'string' ? request['operation'] : '',
    kind,
    object: request['object'],
    dryRun: request['dryRun'] === true,
  };
}

function review(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: API_VERSION, kind: 'AdmissionReview', response };
}

/** Shown by kubectl; kept short (Kubernetes recommends < 120 characters). */
function warningFor(err: unknown): string {
  const field = isTrellisError(err) && typeof err.context['field'] === 'string' ? ` (${err.context['field']})` : '';
  return `trellis sidecar not injected: ${errorMessage(err)}${field}`.slice(0, 120);
}

/**
 * Pure decision for one request. Never denies: a pod the injector cannot handle is allowed unchanged
 * with a warning. dryRun requests get the same patch (the injector has no side effects).
 */
export function reviewPod(request: AdmissionRequest, namespaceLabels: Labels, meshConfig: InjectMeshConfig): AdmissionReviewResponse {
  if (request.kind !== 'Pod' || request.operation !== 'CREATE') return review({ uid: request.uid, allowed: true });
  try {
    const pod = request.object as Pod;
    const result = injectPod(pod, { namespaceLabels, meshConfig, namespace: request.namespace });
    const auditAnnotations = { injection: result.reason };
    if (!result.injected) return review({ uid: request.uid, allowed: true, auditAnnotations });
    const patch = Buffer.from(JSON.stringify(createPatch(pod, result.pod))).toString('base64');
    return review({ uid: request.uid, allowed: true, patchType: 'JSONPatch', patch, auditAnnotations });
  } catch (err) {
    return review({ uid: request.uid, allowed: true, warnings: [warningFor(err)] });
  }
}

export interface AdmissionContext {
  readonly meshConfig: InjectMeshConfig;
  /** Labels of a namespace; a failure is tolerated (treated as no labels, with a warning). */
  readonly getNamespaceLabels: (namespace: string) => Promise<Labels>;
  readonly logger?: Logger;
}

/** Adapter: body → AdmissionReview response. Throws only `ADMISSION_MALFORMED` (bad envelope). */
export async function handleAdmissionReview(body: unknown, ctx: AdmissionContext): Promise<AdmissionReviewResponse> {
  const request = parseAdmissionReview(body);
  const objectNamespace = isObject(request.object) && isObject(request.object['metadata']) ? request.object['metadata']['namespace'] : undefined;
  const namespace = typeof objectNamespace === 'string' && objectNamespace !== '' ? objectNamespace : request.namespace;
  let labels: Labels = {};
  let lookupWarning: string | undefined;
  try {
    labels = request.kind === 'Pod' ? await ctx.getNamespaceLabels(namespace) : {};
  } catch (err) {
    ctx.logger?.warn({ namespace, err: errorMessage(err) }, 'namespace lookup failed');
    lookupWarning = `trellis injector could not read namespace ${namespace} labels`.slice(0, 120);
  }
  const out = reviewPod({ ...request, namespace }, labels, ctx.meshConfig);
  ctx.logger?.info({ uid: request.uid, namespace, dryRun: request.dryRun, audit: out.response.auditAnnotations, warnings: out.response.warnings }, 'admission reviewed');
  if (!lookupWarning) return out;
  return review({ ...out.response, warnings: [...(out.response.warnings ?? []), lookupWarning] });
}

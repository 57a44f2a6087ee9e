import { TrellisError } from '@trellis/shared';
import type { KubeStatus } from './types';

/** An API server answer other than 2xx (or a failed connection, status 0). */
export interface KubeErrorContext {
  status: number;
  reason: string;
  method: string;
  path: string;
  causes: { field: string; message: string }[];
}

export const KUBE_API_ERROR = 'KUBE_API_ERROR';

export function kubeApiError(method: string, path: string, status: number, body: KubeStatus | undefined, cause?: unknown): TrellisError {
  const context: KubeErrorContext = {
    status,
    reason: body?.reason ?? (status === 0 ? 'ConnectionFailed' : 'Unknown'),
    method,
    path,
    causes: (body?.details?.causes ?? []).map((c) => ({ field: c.field ?? '', message: c.message ?? c.reason ?? '' })),
  };
  const message = body?.message ?? (status === 0 ? 'kubernetes API request failed' : `kubernetes API answered ${status}`);
  return new TrellisError(KUBE_API_ERROR, message, { ...context }, cause === undefined ? undefined : { cause });
}

/** The HTTP status of a Kubernetes API error (0 for connection problems), or undefined for other errors. */
export function kubeStatusOf(err: unknown): number | undefined {
  if (!(err instanceof TrellisError) || err.code !== KUBE_API_ERROR) return undefined;
  const status = err.context['status'];
  return typeof status === 'number' ? status : undefined;
}

export function kubeErrorContext(err: unknown): KubeErrorContext | undefined {
  if (!(err instanceof TrellisError) || err.code !== KUBE_API_ERROR) return undefined;
  return err.context as unknown as KubeErrorContext;
}

export const isNotFound = (err: unknown): boolean => kubeStatusOf(err) === 404;
export const isGone = (err: unknown): boolean => kubeStatusOf(err) === 410;
export const isConflict = (err: unknown): boolean => kubeStatusOf(err) === 409;
export const isForbidden = (err: unknown): boolean => kubeStatusOf(err) === 403;

import { TrellisError, errorMessage } from '@trellis/shared';
import type { ValidationDetail } from '@trellis/mesh-config';
import { API_ERROR } from './client/api-client';
import { UNREACHABLE } from './client/http';
import { KUBECONFIG_INVALID, KUBE_UNREACHABLE } from './client/kube-api';
import { NO_KUBECONFIG, TARGET_INVALID } from './client/target';
import { POD_NOT_FOUND } from './describe/describe-pod';
import { UNKNOWN_RESOURCE_TYPE } from './kinds';
import { MANIFEST_INVALID } from './manifest/read-manifests';

/** CLI-raised codes (transport/manifest/kind codes live beside their modules). */
export const RESOURCE_NOT_FOUND = 'RESOURCE_NOT_FOUND';
export const RESOURCE_MAPPING_NOT_FOUND = 'RESOURCE_MAPPING_NOT_FOUND';
export const USAGE = 'USAGE';

export interface NotFoundItem {
  /** `virtualservices.networking.istio.io` */
  resource: string;
  name: string;
  /** File the object came from (delete -f). */
  source?: string;
}

export interface UnmappedObject {
  name: string;
  namespace: string;
  source: string;
  kind: string;
  apiVersion: string;
}

export interface FormattedError {
  lines: string[];
  exitCode: number;
}

/** The one place errors become user-facing lines (kubectl/istioctl wording) and exit codes. */
export function formatError(err: unknown): FormattedError {
  if (!(err instanceof TrellisError)) return { lines: [`Error: ${errorMessage(err)}`], exitCode: 1 };
  const ctx = err.context;
  switch (err.code) {
    case UNREACHABLE:
      return fail(
        `Error: could not reach the Trellis control plane at ${String(ctx['address'])} (${String(ctx['reason'])}): start it with "npm start", or set --addr / TRELLIS_ADDR`,
      );
    case KUBE_UNREACHABLE:
      return fail(
        `Error: could not reach the Kubernetes API server at ${String(ctx['server'])} (${String(ctx['reason'])}): check --kubeconfig / --context, or use --addr for the local control plane`,
      );
    case API_ERROR:
      return { lines: apiErrorLines(err), exitCode: 1 };
    case RESOURCE_NOT_FOUND:
      return { lines: (ctx['items'] as NotFoundItem[]).map(notFoundLine), exitCode: 1 };
    case RESOURCE_MAPPING_NOT_FOUND:
      return {
        lines: (ctx['objects'] as UnmappedObject[]).map(
          (o) =>
            `error: resource mapping not found for name: "${o.name}" namespace: "${o.namespace}" from "${o.source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"`,
        ),
        exitCode: 1,
      };
    case UNKNOWN_RESOURCE_TYPE:
      return fail(`error: the server doesn't have a resource type "${String(ctx['resource'])}"`);
    case POD_NOT_FOUND:
      return fail(`Error: pods "${String(ctx['name'])}" not found in namespace ${String(ctx['namespace'])}`);
    case MANIFEST_INVALID:
    case USAGE:
    case TARGET_INVALID:
    case NO_KUBECONFIG:
    case KUBECONFIG_INVALID:
      return fail(`error: ${err.message}`);
    default:
      return fail(`Error: ${err.message}`);
  }
}

function fail(line: string): FormattedError {
  return { lines: [line], exitCode: 1 };
}

function notFoundLine(item: NotFoundItem): string {
  const where = item.source ? `error when deleting "${item.source}": ` : '';
  return `Error from server (NotFound): ${where}${item.resource} "${item.name}" not found`;
}

function apiErrorLines(err: TrellisError): string[] {
  const serverCode = err.context['serverCode'];
  const details = err.context['details'];
  if (serverCode === 'VALIDATION_FAILED' && Array.isArray(details) && details.length > 0) {
    return (details as ValidationDetail[]).map((d) => {
      const where = d.path ? `${d.path}: ` : '';
      return `Error: ${d.kind} ${d.namespace}/${d.name}: ${where}${d.message}`;
    });
  }
  if (err.context['status'] === 404) return [`Error from server (NotFound): ${err.message}`];
  const reason = typeof serverCode === 'string' ? serverCode : 'InternalError';
  return [`Error from server (${reason}): ${err.message}`];
}

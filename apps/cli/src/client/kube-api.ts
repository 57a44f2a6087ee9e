import { KIND_INFO, type IstioKind, type ValidationError } from '@trellis/mesh-api';
import {
  KubeClient,
  TRELLIS_FIELD_MANAGER,
  VALIDATION_FAILED,
  kubeErrorContext,
  loadKubeConfig,
  servedIstioVersion,
  servedResources,
  type IstioWriter,
  type RequestOptions,
} from '@trellis/mesh-kube';
import { TrellisError, errorMessage } from '@trellis/shared';
import { UNKNOWN_RESOURCE_TYPE } from '../kinds';
import { API_ERROR } from './api-client';
import { describeNetworkError } from './http';

/** Raised when the API server cannot be reached (status 0 from the Kubernetes client). */
export const KUBE_UNREACHABLE = 'KUBE_UNREACHABLE';
export const KUBECONFIG_INVALID = 'KUBECONFIG_INVALID';

export interface KubeConnection {
  /** Undefined: the in-cluster service account. */
  kubeconfig?: string;
  context?: string;
}

/** The local API's validation failure: `API_ERROR` 422 `VALIDATION_FAILED` with `{kind, namespace, name, path, message}` details. */
export function validationFailed(problems: readonly ValidationError[]): TrellisError {
  const details = problems.map(({ kind, namespace, name, path, message }) => ({ kind, namespace, name, path, message }));
  return new TrellisError(API_ERROR, `${details.length} validation error(s)`, { status: 422, serverCode: 'VALIDATION_FAILED', details });
}

/**
 * The cluster as the CLI sees it: one @trellis/mesh-kube KubeClient (whose Istio write path, with the
 * control plane's field manager, does every write), cached API discovery, and Kubernetes errors
 * turned into the CLI's error codes (API_ERROR with the HTTP status, KUBE_UNREACHABLE).
 */
export class KubeApi {
  private readonly discovery = new Map<string, Promise<Set<string>>>();
  /** mesh-kube's Istio writes go through this (server-side apply as `trellis`, like the control plane). */
  readonly writer: IstioWriter;

  private constructor(
    readonly client: KubeClient,
    /** For port-forwards to a proxy's admin port. */
    readonly kubeConfig: ReturnType<typeof loadKubeConfig>,
  ) {
    this.writer = { client, fieldManager: TRELLIS_FIELD_MANAGER };
  }

  static connect(connection: KubeConnection): KubeApi {
    const where = connection.kubeconfig ?? 'the in-cluster service account';
    let config: ReturnType<typeof loadKubeConfig>;
    try {
      config = loadKubeConfig(connection.kubeconfig === undefined ? { type: 'in-cluster' } : { type: 'file', path: connection.kubeconfig });
    } catch (err) {
      throw new TrellisError(KUBECONFIG_INVALID, `cannot load the kubeconfig ${where}: ${rootMessage(err)}`, {}, { cause: err });
    }
    if (connection.context !== undefined) {
      if (config.getContextObject(connection.context) === null) {
        throw new TrellisError(KUBECONFIG_INVALID, `context "${connection.context}" does not exist in ${where}`);
      }
      config.setCurrentContext(connection.context);
    }
    try {
      return new KubeApi(new KubeClient(config), config);
    } catch (err) {
      throw new TrellisError(KUBECONFIG_INVALID, `the current context of ${where} has no cluster`, {}, { cause: err });
    }
  }

  /** Runs mesh-kube calls: Kubernetes errors (and mesh-kube's VALIDATION_FAILED) become CLI errors. */
  async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** One JSON request (reads: registry objects, the control plane's debug endpoints). */
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return this.call(() => this.client.request<T>(method, path, options));
  }

  /** The served version of `kind` (v1, then v1beta1, then v1alpha3), or undefined when its CRD is missing. */
  versionOf(kind: IstioKind): Promise<string | undefined> {
    return servedIstioVersion(kind, (group, version) => this.resources(group, version));
  }

  /** Like versionOf, but a missing CRD is kubectl's "the server doesn't have a resource type". */
  async requireVersion(kind: IstioKind): Promise<string> {
    const version = await this.versionOf(kind);
    if (version === undefined) throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'resource type not served', { resource: KIND_INFO[kind].plural });
    return version;
  }

  async serves(group: string, version: string, plural: string): Promise<boolean> {
    return (await this.resources(group, version)).has(plural);
  }

  close(): void {
    this.client.close();
  }

  private resources(group: string, version: string): Promise<Set<string>> {
    const key = `${group}/${version}`;
    let resources = this.discovery.get(key);
    if (resources === undefined) {
      resources = servedResources(this.client, group, version).catch((err: unknown) => {
        throw this.translate(err);
      });
      this.discovery.set(key, resources);
    }
    return resources;
  }

  private translate(err: unknown): unknown {
    if (err instanceof TrellisError && err.code === VALIDATION_FAILED) return validationFailed(err.context['details'] as ValidationError[]);
    const ctx = kubeErrorContext(err);
    if (ctx === undefined) return err;
    if (ctx.status === 0) {
      return new TrellisError(KUBE_UNREACHABLE, 'could not reach the Kubernetes API server', { server: this.client.server, reason: describeNetworkError(err) }, { cause: err });
    }
    const message = err instanceof Error ? err.message : ctx.reason;
    return new TrellisError(API_ERROR, message, { status: ctx.status, serverCode: ctx.reason, request: `${ctx.method} ${ctx.path}`, causes: ctx.causes }, { cause: err });
  }
}

/** The innermost cause's message (client-node's reason behind mesh-kube's KUBE_CONFIG_INVALID). */
function rootMessage(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 5; depth++) {
    const cause = current !== null && typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  const message = current !== null && typeof current === 'object' ? (current as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : errorMessage(current);
}

import * as MeshKube from '@trellis/mesh-kube';
import { KIND_INFO, type IstioKind } from '@trellis/mesh-api';
import { TrellisError, errorMessage } from '@trellis/shared';
import { UNKNOWN_RESOURCE_TYPE } from '../kinds';
import { API_ERROR } from './api-client';
import type { ConfigObject } from './api-types';
import { describeNetworkError } from './http';

export type MeshKubeModule = typeof MeshKube;
type RequestOptions = MeshKube.RequestOptions;

/** Raised when the API server cannot be reached (status 0 from the Kubernetes client). */
export const KUBE_UNREACHABLE = 'KUBE_UNREACHABLE';
export const KUBECONFIG_INVALID = 'KUBECONFIG_INVALID';

/** Newest first: the version read and deleted through when the server serves several. */
const VERSION_PREFERENCE = ['v1', 'v1beta1', 'v1alpha3'];

export interface KubeConnection {
  /** Undefined: the in-cluster service account. */
  kubeconfig?: string;
  context?: string;
}

/**
 * The cluster as the CLI sees it: @trellis/mesh-kube (`mk`), one KubeClient, cached API discovery, and
 * Kubernetes errors turned into the CLI's error codes (API_ERROR with the HTTP status, KUBE_UNREACHABLE).
 */
export class KubeApi {
  private readonly discovery = new Map<string, Promise<Set<string>>>();

  private constructor(
    readonly mk: MeshKubeModule,
    readonly client: MeshKube.KubeClient,
  ) {}

  static connect(connection: KubeConnection): KubeApi {
    const mk = MeshKube;
    const where = connection.kubeconfig ?? 'the in-cluster service account';
    let config: ReturnType<MeshKubeModule['loadKubeConfig']>;
    try {
      config = mk.loadKubeConfig(connection.kubeconfig === undefined ? { type: 'in-cluster' } : { type: 'file', path: connection.kubeconfig });
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
      return new KubeApi(mk, new mk.KubeClient(config));
    } catch (err) {
      throw new TrellisError(KUBECONFIG_INVALID, `the current context of ${where} has no cluster`, {}, { cause: err });
    }
  }

  /** One JSON request; Kubernetes errors become CLI errors. */
  async request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    try {
      return await this.client.request<T>(method, path, options);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** `undefined` instead of a 404. */
  async find<T>(method: string, path: string, options?: RequestOptions): Promise<T | undefined> {
    try {
      return await this.request<T>(method, path, options);
    } catch (err) {
      if (err instanceof TrellisError && err.code === API_ERROR && err.context['status'] === 404) return undefined;
      throw err;
    }
  }

  /** The served version of `kind` (v1, then v1beta1, then v1alpha3), or undefined when its CRD is missing. */
  async versionOf(kind: IstioKind): Promise<string | undefined> {
    const info = KIND_INFO[kind];
    for (const version of VERSION_PREFERENCE.filter((v) => info.versions.includes(v))) {
      if (await this.serves(info.group, version, info.plural)) return version;
    }
    return undefined;
  }

  /** Like versionOf, but a missing CRD is kubectl's "the server doesn't have a resource type". */
  async requireVersion(kind: IstioKind): Promise<string> {
    const version = await this.versionOf(kind);
    if (version === undefined) throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'resource type not served', { resource: KIND_INFO[kind].plural });
    return version;
  }

  async serves(group: string, version: string, plural: string): Promise<boolean> {
    const key = `${group}/${version}`;
    let resources = this.discovery.get(key);
    if (resources === undefined) {
      resources = this.mk.servedResources(this.client, group, version).catch((err: unknown) => {
        throw this.translate(err);
      });
      this.discovery.set(key, resources);
    }
    return (await resources).has(plural);
  }

  close(): void {
    this.client.close();
  }

  private translate(err: unknown): unknown {
    const ctx = this.mk.kubeErrorContext(err);
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

/** A custom resource as the CLI shows it: the local API's envelope (user metadata + server timestamps) and spec. */
export function toConfigObject(raw: MeshKube.IstioObject, kind: IstioKind, version: string): ConfigObject {
  const m = raw.metadata;
  const metadata: ConfigObject['metadata'] = { name: m.name, namespace: m.namespace ?? 'default' };
  if (m.labels !== undefined) metadata['labels'] = m.labels;
  if (m.annotations !== undefined) metadata['annotations'] = m.annotations;
  if (m.resourceVersion !== undefined) metadata['resourceVersion'] = m.resourceVersion;
  if (m.generation !== undefined) metadata['generation'] = m.generation;
  if (m.creationTimestamp !== undefined) metadata.creationTimestamp = m.creationTimestamp;
  return { apiVersion: raw.apiVersion ?? `${KIND_INFO[kind].group}/${version}`, kind, metadata, spec: raw.spec ?? {} };
}

import { configKindOf, KIND_INFO, resolveKind, type AnyResource, type IstioConfig, type IstioKind, type MeshService, type WorkloadInstance } from '@trellis/mesh-api';
import type { ApplyResult, DeleteResult, ReportedAnalysisMessage } from '@trellis/mesh-config';
import { applyIstioConfigs, deleteIstioObject, getIstioObject, istioEnvelope, listIstioObjects, validateIstioObjects } from '@trellis/mesh-kube';
import { TrellisError } from '@trellis/shared';
import { UNKNOWN_RESOURCE_TYPE } from '../kinds';
import { API_ERROR, HttpBackend, configDumpOf, syncStatusesOf, versionOf } from './api-client';
import type { ConfigDump, SyncStatus } from './api-types';
import type { ControlPlaneDebug, MeshBackend } from './backend';
import { normalizeAddress } from './address';
import { KubeApi, validationFailed, type KubeConnection } from './kube-api';
import { analyzeCluster, meshServices, workloadInstances } from './kube-registry';
import { kubeAdminGet } from './kube-port-forward';

/** istiod's Service and its HTTP debug/monitoring port (the control plane's `--http-port`). */
export const ISTIOD_SERVICE = 'istiod:15014';

export interface KubeBackendOptions extends KubeConnection {
  /** Namespace of the istiod Service (default istio-system). */
  istioNamespace: string;
  /** Reach the debug endpoints here instead of through the API server's service proxy. */
  istiodAddr?: string;
}

/** The control plane's debug endpoints through the API server: `/api/v1/namespaces/<ns>/services/istiod:15014/proxy/…`. */
export class ServiceProxyDebug implements ControlPlaneDebug {
  private readonly base: string;

  constructor(
    private readonly api: () => Promise<KubeApi>,
    namespace: string,
  ) {
    this.base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${ISTIOD_SERVICE}/proxy`;
  }

  async syncz(): Promise<SyncStatus[]> {
    return syncStatusesOf(await (await this.api()).request('GET', `${this.base}/debug/syncz`));
  }

  async configDump(proxyID: string): Promise<ConfigDump> {
    return configDumpOf(await (await this.api()).request('GET', `${this.base}/debug/config_dump`, { query: { proxyID } }));
  }

  async version(): Promise<Record<string, unknown>> {
    return versionOf(await (await this.api()).request('GET', `${this.base}/version`));
  }

  async close(): Promise<void> {
    // The KubeApi's connections are closed by its owner.
  }
}

/**
 * The cluster backend: Istio custom resources through the user's kubeconfig (server-side apply,
 * validated locally first), Services and Pods as the registry, analysis run locally, and the control
 * plane's debug endpoints through the API server's service proxy (or `istiodAddr`).
 */
export class KubeBackend implements MeshBackend {
  readonly target = 'kube';
  private connection: KubeApi | undefined;
  private readonly debug: ControlPlaneDebug;

  constructor(private readonly options: KubeBackendOptions) {
    this.debug =
      options.istiodAddr === undefined
        ? new ServiceProxyDebug(() => this.api(), options.istioNamespace)
        : new HttpBackend(normalizeAddress(options.istiodAddr));
  }

  /**
   * Validates locally (schema + Istio's semantic rules), checks each object's version is served, then
   * writes through mesh-kube's Istio write path: a server dry run of every object, then server-side
   * apply; nothing is written unless every object passes.
   */
  async apply(objects: AnyResource[], namespace: string): Promise<ApplyResult[]> {
    const api = await this.api();
    const { valid, problems } = validateIstioObjects(objects, { namespace });
    if (problems.length > 0) throw validationFailed(problems);
    await Promise.all(valid.map((o) => requireServed(api, o)));
    const written = await api.call(() => applyIstioConfigs(api.writer, valid));
    return written.map(({ config: o, action }) => ({ kind: o.kind, apiVersion: o.apiVersion, namespace: namespaceOf(o), name: o.metadata.name, action }));
  }

  /** Deletes each object (by kind, namespace and name); `not found` for the ones that did not exist. */
  async deleteObjects(objects: AnyResource[], namespace: string): Promise<DeleteResult[]> {
    const api = await this.api();
    const results: DeleteResult[] = [];
    for (const o of objects) {
      const kind = kindOf(o.kind);
      const ns = o.metadata.namespace ?? namespace;
      const version = await api.requireVersion(kind);
      const deleted = await api.call(() => deleteIstioObject(api.writer, kind, version, ns, o.metadata.name));
      results.push({ kind, apiVersion: o.apiVersion, namespace: ns, name: o.metadata.name, action: deleted ? 'deleted' : 'not found' });
    }
    return results;
  }

  async list(kind: string, namespace?: string): Promise<AnyResource[]> {
    const api = await this.api();
    const k = kindOf(kind);
    const version = await api.requireVersion(k);
    const items = await api.call(() => listIstioObjects(api.client, k, version, namespace));
    return items.map((item) => readView(item, k, version));
  }

  async get(kind: string, namespace: string, name: string): Promise<AnyResource> {
    const api = await this.api();
    const k = kindOf(kind);
    const version = await api.requireVersion(k);
    return readView(await api.call(() => getIstioObject(api.client, k, version, namespace, name)), k, version);
  }

  async deleteOne(kind: string, namespace: string, name: string): Promise<void> {
    const api = await this.api();
    const k = kindOf(kind);
    if (!(await api.call(async () => deleteIstioObject(api.writer, k, await api.requireVersion(k), namespace, name)))) {
      const info = KIND_INFO[k];
      throw new TrellisError(API_ERROR, `${info.plural}.${info.group} "${name}" not found`, { status: 404, serverCode: 'NotFound' });
    }
  }

  async analyze(objects: AnyResource[] | undefined, namespace: string | undefined): Promise<ReportedAnalysisMessage[]> {
    return analyzeCluster(await this.api(), objects, namespace);
  }

  async services(): Promise<MeshService[]> {
    return meshServices(await this.api());
  }

  async workloads(): Promise<WorkloadInstance[]> {
    return workloadInstances(await this.api());
  }

  async proxyAdmin(proxyId: string, namespace: string, adminPath: string): Promise<unknown> {
    return kubeAdminGet((await this.api()).kubeConfig, proxyId, namespace, adminPath);
  }

  syncz(): Promise<SyncStatus[]> {
    return this.debug.syncz();
  }

  configDump(proxyID: string): Promise<ConfigDump> {
    return this.debug.configDump(proxyID);
  }

  version(): Promise<Record<string, unknown>> {
    return this.debug.version();
  }

  async close(): Promise<void> {
    await this.debug.close();
    this.connection?.close();
  }

  /** Loads the kubeconfig on first use (a failure is reported by the command that needed the cluster). */
  private async api(): Promise<KubeApi> {
    this.connection ??= KubeApi.connect(this.options);
    return this.connection;
  }
}

const namespaceOf = (o: IstioConfig): string => o.metadata.namespace ?? 'default';

function kindOf(kind: string): IstioKind {
  const info = resolveKind(kind);
  if (info === undefined) throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'unknown kind', { resource: kind });
  return info.kind;
}

/** What `get` shows of a stored object: the envelope, plus the `.status` a controller wrote (Gateway API ADDRESS/PROGRAMMED). */
function readView(raw: Parameters<typeof istioEnvelope>[0], kind: IstioKind, version: string): AnyResource {
  const envelope = istioEnvelope(raw, kind, version);
  return raw.status === undefined ? envelope : ({ ...envelope, status: raw.status } as AnyResource);
}

/** kubectl's "the server doesn't have a resource type" when the object's apiVersion is not served. */
async function requireServed(api: KubeApi, o: IstioConfig): Promise<void> {
  const version = o.apiVersion.slice(o.apiVersion.indexOf('/') + 1);
  const info = KIND_INFO[configKindOf(o) ?? o.kind];
  if (!(await api.serves(info.group, version, info.plural))) {
    throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'resource type not served', { resource: `${info.plural}.${info.group}/${version}` });
  }
}

import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import { HttpBackend, configDumpOf, syncStatusesOf, versionOf } from './api-client';
import type { AnalysisMessage, ConfigDump, ConfigObject, ObjectResult, SyncStatus } from './api-types';
import type { ControlPlaneDebug, MeshBackend } from './backend';
import { normalizeAddress } from './address';
import { KubeApi, type KubeConnection } from './kube-api';
import { applyObjects, deleteObject, deleteObjects, getObject, kindOf, listObjects } from './kube-config';
import { analyzeCluster, meshServices, workloadInstances } from './kube-registry';

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

  async apply(objects: ConfigObject[], namespace: string): Promise<ObjectResult[]> {
    return applyObjects(await this.api(), objects, namespace);
  }

  async deleteObjects(objects: ConfigObject[], namespace: string): Promise<ObjectResult[]> {
    return deleteObjects(await this.api(), objects, namespace);
  }

  async list(kind: string, namespace?: string): Promise<ConfigObject[]> {
    return listObjects(await this.api(), kindOf(kind), namespace);
  }

  async get(kind: string, namespace: string, name: string): Promise<ConfigObject> {
    return getObject(await this.api(), kindOf(kind), namespace, name);
  }

  async deleteOne(kind: string, namespace: string, name: string): Promise<void> {
    await deleteObject(await this.api(), kindOf(kind), namespace, name);
  }

  async analyze(objects: ConfigObject[] | undefined, namespace: string | undefined): Promise<AnalysisMessage[]> {
    return analyzeCluster(await this.api(), objects, namespace);
  }

  async services(): Promise<MeshService[]> {
    return meshServices(await this.api());
  }

  async workloads(): Promise<WorkloadInstance[]> {
    return workloadInstances(await this.api());
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

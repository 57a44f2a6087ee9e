import type { AnyResource, MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type { ApplyResponse, DeleteResponse, ReportedAnalysisMessage } from '@trellis/mesh-config';
import type { ConfigDump, SyncStatus } from './api-types';

/** The control plane's debug endpoints (`/debug/syncz`, `/debug/config_dump`, `/version`). */
export interface ControlPlaneDebug {
  syncz(): Promise<SyncStatus[]>;
  configDump(proxyID: string): Promise<ConfigDump>;
  version(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * What the commands need from "the mesh": config CRUD, analysis, the service registry and the control
 * plane's debug endpoints. Two implementations: HttpBackend (the local control plane's HTTP API) and
 * KubeBackend (a cluster, through the user's kubeconfig). Errors a command reacts to are the same for
 * both: a missing object is an `API_ERROR` with status 404 (see `isNotFound`), validation failures are
 * `API_ERROR` with `serverCode: 'VALIDATION_FAILED'` and `details`.
 */
export interface MeshBackend extends ControlPlaneDebug {
  /** `local` or `kube`: where the commands' data comes from. */
  readonly target: 'local' | 'kube';
  /** All-or-nothing apply; results carry `created`, `configured` or `unchanged`. */
  apply(objects: AnyResource[], namespace: string): Promise<ApplyResponse['results']>;
  /** Results carry `deleted` or `not found`. */
  deleteObjects(objects: AnyResource[], namespace: string): Promise<DeleteResponse['results']>;
  list(kind: string, namespace?: string): Promise<AnyResource[]>;
  get(kind: string, namespace: string, name: string): Promise<AnyResource>;
  deleteOne(kind: string, namespace: string, name: string): Promise<void>;
  /** The stored config overlaid with `objects`, analyzed against the registry; filtered to `namespace` when given. */
  analyze(objects: AnyResource[] | undefined, namespace: string | undefined): Promise<ReportedAnalysisMessage[]>;
  services(): Promise<MeshService[]>;
  workloads(): Promise<WorkloadInstance[]>;
  /** One JSON GET of a proxy's admin API (`/config_dump`, `/certs`): local, its pod address; cluster, a port-forward. */
  proxyAdmin(proxyId: string, namespace: string, adminPath: string): Promise<unknown>;
}

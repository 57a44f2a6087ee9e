import type { MeshService, ProxyInfo, WorkloadInstance } from '@trellis/mesh-api';

/** A config object as the CLI handles it: Kubernetes-shaped, contents opaque beyond the envelope. */
export interface ConfigObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; creationTimestamp?: string; [key: string]: unknown };
  spec?: unknown;
  [key: string]: unknown;
}

export interface ObjectResult {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  action: string;
}

export interface ValidationDetail {
  kind: string;
  namespace: string;
  name: string;
  path: string;
  message: string;
}

export interface AnalysisMessage {
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  origin: string;
  message: string;
}

export type XdsTypeStatus = 'SYNCED' | 'STALE' | 'NOT SENT';

export interface XdsTypeSync {
  sentVersion?: string;
  sentNonce?: string;
  ackedVersion?: string;
  lastNack?: { version: string; nonce: string; message: string; at: string };
  status: XdsTypeStatus;
}

export interface SyncStatus {
  id: string;
  proxy: ProxyInfo & { clusterID?: string; version?: string };
  connectedAt: string;
  types: Partial<Record<'CDS' | 'LDS' | 'EDS' | 'RDS', XdsTypeSync>>;
  /** Optional extras a control plane may report (istiod's name, proxy version). */
  istiod?: string;
  proxyVersion?: string;
  clusterID?: string;
}

/** Envoy resources as plain objects (docs/xds-resources.md); only the fields the CLI reads are typed. */
export type EnvoyObject = Record<string, unknown>;

export interface ConfigDump {
  listeners: EnvoyObject[];
  routes: EnvoyObject[];
  clusters: EnvoyObject[];
  endpoints: EnvoyObject[];
}

export interface RegistryItems {
  services: MeshService[];
  workloads: WorkloadInstance[];
}

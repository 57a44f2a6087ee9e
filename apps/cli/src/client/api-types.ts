import type { ProxyInfo } from '@trellis/mesh-api';

/*
 * The control plane's debug endpoints (`/debug/syncz`, `/debug/config_dump`) as the CLI reads them,
 * from Trellis or from an istiod. The config API's types (objects, results, analysis, validation
 * details) are @trellis/mesh-config's and @trellis/mesh-api's.
 */

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

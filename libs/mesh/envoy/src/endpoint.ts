/** `envoy.config.endpoint.v3`: ClusterLoadAssignment (the EDS resource). */
import type { Address, Metadata, UInt32Value } from './core';

export type Locality = { region?: string; zone?: string; sub_zone?: string };
export type Endpoint = { address?: Address };
export type LbEndpoint = {
  endpoint?: Endpoint;
  /** A `HealthStatus` name (core.ts); received values may be any string. */
  health_status?: string;
  load_balancing_weight?: UInt32Value;
  metadata?: Metadata;
};
export type LocalityLbEndpoints = {
  locality?: Locality;
  load_balancing_weight?: UInt32Value;
  priority?: number;
  lb_endpoints?: LbEndpoint[];
};
export type ClusterLoadAssignment = { cluster_name?: string; endpoints?: LocalityLbEndpoints[] };

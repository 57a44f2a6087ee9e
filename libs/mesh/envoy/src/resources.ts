import type { Cluster } from './cluster';
import type { ClusterLoadAssignment } from './endpoint';
import type { Listener } from './listener';
import type { RouteConfiguration } from './route';
import type { Secret } from './tls';
import type { XdsType } from './type-urls';

/** Everything one proxy should run: what `translate(snapshot, proxy)` returns and the ADS server serves. */
export type XdsResources = {
  readonly listeners: readonly Listener[];
  readonly routes: readonly RouteConfiguration[];
  readonly clusters: readonly Cluster[];
  readonly endpoints: readonly ClusterLoadAssignment[];
  /**
   * SDS secrets the proxy may request over ADS (gateways' `kubernetes://<credentialName>`); sent only
   * by name, never wildcard. Absent = none.
   */
  readonly secrets?: readonly Secret[];
};

/** The resource message of each xDS type. */
export type ResourceOf = {
  LDS: Listener;
  RDS: RouteConfiguration;
  CDS: Cluster;
  EDS: ClusterLoadAssignment;
  SDS: Secret;
};
export type XdsResourceMessage = ResourceOf[XdsType];

/**
 * The view of a resource as it is received (a decoded DiscoveryResponse, a config_dump): untrusted,
 * so every field may be missing (`@type` too) and nothing is to be mutated. Deep readonly; enums keep
 * their names; maps (index signatures) keep their value types.
 */
export type Received<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? readonly Received<E>[]
    : string extends keyof T
      ? { readonly [K in keyof T as string extends K ? never : K]?: Received<T[K]> } & {
          readonly [K in keyof T as string extends K ? K : never]: Received<T[K]>;
        }
      : { readonly [K in keyof T]?: Received<T[K]> };

import type { Logger } from '@trellis/shared';
import type { FilterCounters } from './http/counters';
import type { HcmConfig } from './http/hcm-config';
import type { RouteTable } from './routing/route-table';
import type { ProxyRuntime } from './runtime';
import type { ClusterManager } from './upstream/cluster-manager';
import type { AccessLogger } from './http/access-log';
import type { ListenerConfig } from './listener/listener-config';
import type { TrafficStats } from './http/traffic-stats';
import type { OriginalDstReader } from './unsafe/original-dst';
import type { SecretProvider } from './sds/secret-provider';
import type { ProxyNode } from './proxy-node';

/** What every request can reach: the config in force and the observers. One per proxy. */
export interface ProxyContext {
  readonly mode: 'sidecar' | 'router';
  /** Who this proxy is (telemetry labels, peer metadata, span service names). */
  readonly node: ProxyNode;
  readonly logger: Logger;
  readonly clusters: ClusterManager;
  readonly routes: Map<string, RouteTable>;
  /** Listeners by name (for virtualOutbound's `0.0.0.0_<port>` lookup). */
  readonly listeners: Map<string, ListenerConfig>;
  /** Non-bound listeners by port, the fallback when the name is not Istio's. */
  readonly listenersByPort: Map<number, ListenerConfig>;
  readonly traffic: TrafficStats;
  /** The HTTP filters' counters (fault, local rate limit, …). */
  readonly filterCounters: FilterCounters;
  /** Chance and time for every decision (tests pin them). */
  readonly runtime: ProxyRuntime;
  readonly accessLog: AccessLogger | undefined;
  /** SO_ORIGINAL_DST of captured connections (unsafe/original-dst.ts), or why it is unavailable. Chosen once at start-up. */
  readonly originalDst: OriginalDstReader;
  /** SDS secrets (`default`, `ROOTCA`) for TLS contexts; undefined when the proxy has no workload agent. */
  readonly secrets: SecretProvider | undefined;
  /** true while draining: responses carry `connection: close`. */
  draining: boolean;
}

/** The listener serving a request; virtualOutbound swaps in the per-port listener's HCM. */
export interface ListenerTarget {
  readonly listener: ListenerConfig;
  readonly hcm: HcmConfig;
  /** The chain was chosen for its connection, which is TLS (terminated): no per-request chain selection, x-forwarded-proto https. */
  readonly pinned?: boolean;
}

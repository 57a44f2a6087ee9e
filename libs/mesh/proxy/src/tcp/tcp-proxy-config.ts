import type { TcpProxy } from '../config/envoy-types';
import { checkDuration, invalid } from '../config/proto';
import type { Counter, FilterCounters } from '../http/counters';
import type { Random } from '../runtime';
import type { CompiledTcpIstioStats } from './istio-stats';
import type { CompiledMetadataExchange } from './metadata-exchange';
import { type CompiledAccessLog, compileAccessLogs } from '../access-log/compile';
import type { AccessLogSinkFactory } from '../access-log/sinks';

/** Envoy's `tcp.<stat_prefix>.*` counters (Prometheus: `envoy_tcp_*{tcp_prefix="…"}`). */
export interface TcpProxyStats {
  readonly cx: Counter;
  readonly rxBytes: Counter;
  readonly txBytes: Counter;
  readonly idleTimeout: Counter;
  readonly noRoute: Counter;
}

/** envoy.filters.network.tcp_proxy compiled: where a connection goes and its timeouts. */
export interface CompiledTcpProxy {
  readonly statPrefix: string;
  /** One cluster, or weighted ones (picked per connection). */
  readonly clusters: readonly { readonly name: string; readonly weight: number }[];
  readonly totalWeight: number;
  /** No bytes either way for this long closes both sides (Envoy: 1 h by default; 0 = never). */
  readonly idleTimeoutMs: number;
  /** Hosts tried before the downstream connection is closed (Envoy's default: 1). */
  readonly maxConnectAttempts: number;
  readonly stats: TcpProxyStats;
  /** istio.stats before this tcp_proxy in its chain: Istio's TCP metrics (tcp/istio-stats.ts). */
  readonly istioStats?: CompiledTcpIstioStats;
  /** istio.metadata_exchange before this tcp_proxy: the downstream's `istio-peer-exchange` (tcp/metadata-exchange.ts). */
  readonly metadataExchange?: CompiledMetadataExchange;
  /** `access_log`: one line per connection when it closes. */
  readonly accessLogs: readonly CompiledAccessLog[];
}

const DEFAULT_IDLE_TIMEOUT_MS = 3_600_000;

function clustersOf(resource: string, t: TcpProxy): CompiledTcpProxy['clusters'] {
  const weighted = t.weighted_clusters?.clusters;
  if (weighted === undefined) {
    if (typeof t.cluster !== 'string' || t.cluster === '') throw invalid(resource, 'tcp_proxy needs cluster or weighted_clusters');
    return [{ name: t.cluster, weight: 1 }];
  }
  if (weighted.length === 0) throw invalid(resource, 'tcp_proxy weighted_clusters without clusters');
  return weighted.map((c, i) => {
    if (typeof c.name !== 'string' || c.name === '') throw invalid(resource, `tcp_proxy weighted cluster ${i} without name`);
    const weight = Number(c.weight ?? 0);
    if (!Number.isInteger(weight) || weight < 0) throw invalid(resource, `tcp_proxy weighted cluster ${c.name} weight ${String(c.weight)}`);
    return { name: c.name, weight };
  });
}

function statsFor(counters: FilterCounters, prefix: string): TcpProxyStats {
  const label = `tcp_prefix="${prefix}"`;
  const c = (stat: string): Counter => counters.counter(`tcp.${prefix}.${stat}`, `envoy_tcp_${stat}`, label);
  return { cx: c('downstream_cx_total'), rxBytes: c('downstream_cx_rx_bytes_total'), txBytes: c('downstream_cx_tx_bytes_total'), idleTimeout: c('idle_timeout'), noRoute: c('downstream_cx_no_route') };
}

export function compileTcpProxy(resource: string, t: TcpProxy, counters: FilterCounters, sinks?: AccessLogSinkFactory): CompiledTcpProxy {
  const prefix = t.stat_prefix;
  if (typeof prefix !== 'string' || prefix === '') throw invalid(resource, 'tcp_proxy stat_prefix is required');
  const clusters = clustersOf(resource, t);
  const totalWeight = clusters.reduce((s, c) => s + c.weight, 0);
  if (totalWeight === 0) throw invalid(resource, 'tcp_proxy weighted_clusters weights sum to 0');
  const attempts = t.max_connect_attempts?.value ?? 1;
  if (!Number.isInteger(attempts) || attempts < 1) throw invalid(resource, `tcp_proxy max_connect_attempts ${attempts} must be at least 1`);
  return {
    statPrefix: prefix,
    clusters,
    totalWeight,
    idleTimeoutMs: checkDuration(resource, 'tcp_proxy.idle_timeout', t.idle_timeout) ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxConnectAttempts: attempts,
    stats: statsFor(counters, prefix),
    accessLogs: compileAccessLogs(resource, t.access_log, sinks),
  };
}

/** The cluster for one connection (uniform over the total weight, like Envoy). */
export function pickTcpCluster(t: CompiledTcpProxy, random: Random): string {
  if (t.clusters.length === 1) return t.clusters[0].name;
  let r = random() * t.totalWeight;
  for (const c of t.clusters) {
    r -= c.weight;
    if (r < 0) return c.name;
  }
  return t.clusters[t.clusters.length - 1].name;
}

import {
  HCM_FILTER_NAME,
  ISTIO_STATS_FILTER_NAME,
  TCP_PROXY_FILTER_NAME,
  type AccessLog,
  type FilterChain,
  type HcmTracing,
  type HttpConnectionManager,
  type HttpFilter,
  type IstioMetricOverride,
  type Listener,
  type NetworkFilter,
  type TcpProxy,
} from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';
import { accessLogsFor } from './access-log';
import { telemetryMetricOverrides } from './metric-overrides';
import { withMetricOverrides } from './stats-filter';
import { applicableTelemetries, type TelemetryMode } from './telemetry-select';
import { tracingFor } from './tracing';

/** What telemetry adds to one side's HCMs and tcp_proxies. */
export interface TelemetrySide {
  readonly accessLog: readonly AccessLog[];
  readonly tracing: HcmTracing | undefined;
  /** The Telemetry API's metric overrides for this side's `istio.stats` filters (`[{drop: true}]`: every metric off). */
  readonly metrics: readonly IstioMetricOverride[];
}

/** Per side (CLIENT: outbound and gateway listeners; SERVER: inbound) and the plan as a memo key ('' = nothing to add). */
export interface TelemetryPlan {
  readonly client: TelemetrySide;
  readonly server: TelemetrySide;
  readonly key: string;
}

const NONE: TelemetryPlan = { client: { accessLog: [], tracing: undefined, metrics: [] }, server: { accessLog: [], tracing: undefined, metrics: [] }, key: '' };

/**
 * The access logs and tracing istiod writes for this proxy. Without a MeshConfig in the snapshot
 * (translate's unit tests) nothing; the control plane always has one (Istio's defaults merged).
 */
export function telemetryPlan(ctx: TranslateContext): TelemetryPlan {
  const mesh = ctx.snapshot.meshConfig;
  if (mesh === undefined) return NONE;
  const specs = applicableTelemetries(ctx);
  const side = (mode: TelemetryMode): TelemetrySide => ({
    accessLog: accessLogsFor(specs, mesh, mode),
    tracing: tracingFor(ctx, specs, mesh, mode),
    metrics: telemetryMetricOverrides(ctx, mode),
  });
  const client = side('CLIENT');
  const server = ctx.proxy.type === 'router' ? client : side('SERVER');
  const empty = (s: TelemetrySide): boolean => s.accessLog.length === 0 && s.tracing === undefined && s.metrics.length === 0;
  if (empty(client) && empty(server)) return NONE;
  return { client, server, key: JSON.stringify([client, server]) };
}

/** Every metric disabled for the side: istiod leaves the stats filter out. */
const allMetricsOff = (m: readonly IstioMetricOverride[]): boolean => m.some((o) => o.drop === true && (o.name === undefined || o.name === ''));

/** A side's metric overrides on its istio.stats filters, or the filters removed when every metric is off. */
function withStats<F extends { name?: string; typed_config?: unknown }>(filters: readonly F[], side: TelemetrySide): F[] {
  if (side.metrics.length === 0) return [...filters];
  if (allMetricsOff(side.metrics)) return filters.filter((f) => f.name !== ISTIO_STATS_FILTER_NAME);
  return filters.map((f) => withMetricOverrides(f, side.metrics));
}

function decorateFilter(f: NetworkFilter, side: TelemetrySide): NetworkFilter {
  if (f.name === HCM_FILTER_NAME && f.typed_config !== undefined) {
    const hcm = f.typed_config as unknown as HttpConnectionManager;
    const next: HttpConnectionManager = { ...hcm, ...(hcm.http_filters !== undefined && { http_filters: withStats<HttpFilter>(hcm.http_filters, side) }) };
    if (side.accessLog.length > 0) next.access_log = [...(hcm.access_log ?? []), ...side.accessLog];
    if (side.tracing !== undefined) next.tracing = side.tracing;
    return { ...f, typed_config: next as unknown as NetworkFilter['typed_config'] };
  }
  if (f.name === TCP_PROXY_FILTER_NAME && f.typed_config !== undefined && side.accessLog.length > 0) {
    const tcp = f.typed_config as unknown as TcpProxy;
    const next: TcpProxy = { ...tcp, access_log: [...(tcp.access_log ?? []), ...side.accessLog] };
    return { ...f, typed_config: next as unknown as NetworkFilter['typed_config'] };
  }
  return f;
}

const decorateChain = (c: FilterChain, side: TelemetrySide): FilterChain =>
  c.filters === undefined ? c : { ...c, filters: withStats(c.filters, side).map((f) => decorateFilter(f, side)) };

function decorate(l: Listener, plan: TelemetryPlan): Listener {
  const side = l.traffic_direction === 'INBOUND' ? plan.server : plan.client;
  return {
    ...l,
    ...(l.filter_chains === undefined ? {} : { filter_chains: l.filter_chains.map((c) => decorateChain(c, side)) }),
    ...(l.default_filter_chain === undefined ? {} : { default_filter_chain: decorateChain(l.default_filter_chain, side) }),
  };
}

/** Decorated listeners by (listener object, plan key): proxies sharing a listener and a plan share the result. */
const decorated = new WeakMap<Listener, Map<string, Listener>>();

/**
 * Adds the plan's `access_log` to every HCM and tcp_proxy and its `tracing` to every HCM, where istiod
 * puts them (sidecar inbound = SERVER, outbound and gateways = CLIENT). An empty plan returns the very
 * same listeners.
 */
export function withTelemetry(listeners: readonly Listener[], plan: TelemetryPlan): Listener[] {
  if (plan.key === '') return [...listeners];
  return listeners.map((l) => {
    let byKey = decorated.get(l);
    if (byKey === undefined) decorated.set(l, (byKey = new Map()));
    let out = byKey.get(plan.key);
    if (out === undefined) byKey.set(plan.key, (out = decorate(l, plan)));
    return out;
  });
}

import type { IstioMetricOverride } from '@trellis/mesh-envoy';
import type { IstioMetric, Metrics, MetricsOverrides, TagOverride } from '@trellis/mesh-api';
import type { TranslateContext } from '../context';
import { applicableTelemetries, matchesMode } from './telemetry-select';

/** Istio's metric names without the `istio_` prefix (istio/proxy stats filter), by Telemetry enum. */
export const METRIC_NAMES: Readonly<Record<Exclude<IstioMetric, 'ALL_METRICS'>, string>> = {
  REQUEST_COUNT: 'requests_total',
  REQUEST_DURATION: 'request_duration_milliseconds',
  REQUEST_SIZE: 'request_bytes',
  RESPONSE_SIZE: 'response_bytes',
  TCP_OPENED_CONNECTIONS: 'tcp_connections_opened_total',
  TCP_CLOSED_CONNECTIONS: 'tcp_connections_closed_total',
  TCP_SENT_BYTES: 'tcp_sent_bytes_total',
  TCP_RECEIVED_BYTES: 'tcp_received_bytes_total',
  GRPC_REQUEST_MESSAGES: 'request_messages_total',
  GRPC_RESPONSE_MESSAGES: 'response_messages_total',
};
const ALL = Object.values(METRIC_NAMES).sort();
const PROVIDER = 'prometheus';

type Override = { disabled?: boolean; tags: Map<string, TagOverride> };

/** istiod's getMatches: a custom metric by name, ALL_METRICS (or no match) every standard metric. */
function matches(o: MetricsOverrides): string[] {
  if (o.match?.customMetric !== undefined && o.match.customMetric !== '') return [o.match.customMetric];
  const m = o.match?.metric ?? 'ALL_METRICS';
  return m === 'ALL_METRICS' ? ALL : [METRIC_NAMES[m]];
}

/** istiod's mergeMetrics for the prometheus provider and one mode: later entries override earlier ones. */
function merge(entries: readonly Metrics[], defaults: readonly string[], mode: 'CLIENT' | 'SERVER'): { allDisabled: boolean; byMetric: Map<string, Override> } {
  const byMetric = new Map<string, Override>();
  let allDisabled = false;
  let parent = defaults;
  for (const m of entries) {
    const names = (m.providers ?? []).map((p) => p.name);
    parent = names.length > 0 ? names : parent;
    if (!parent.includes(PROVIDER)) continue;
    for (const o of m.overrides ?? []) {
      if (!matchesMode(o.match?.mode, mode)) continue;
      const all = o.match?.customMetric === undefined && (o.match?.metric ?? 'ALL_METRICS') === 'ALL_METRICS';
      if (all && o.disabled === true) {
        allDisabled = true;
        continue;
      }
      allDisabled = false;
      for (const name of matches(o)) {
        const cur = byMetric.get(name) ?? { tags: new Map<string, TagOverride>() };
        if (o.disabled !== undefined) cur.disabled = o.disabled;
        for (const [k, v] of Object.entries(o.tagOverrides ?? {})) cur.tags.set(k, v);
        byMetric.set(name, cur);
      }
    }
  }
  return { allDisabled, byMetric };
}

function toOverride(name: string, o: Override): IstioMetricOverride {
  if (o.disabled === true) return { name, drop: true };
  const tags = [...o.tags.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const remove = tags.filter(([, t]) => t.operation === 'REMOVE').map(([k]) => k);
  const upsert = tags.filter(([, t]) => t.operation !== 'REMOVE');
  return { name, ...(remove.length > 0 ? { tags_to_remove: remove } : {}), ...(upsert.length > 0 ? { dimensions: Object.fromEntries(upsert.map(([k, t]) => [k, t.value ?? ''])) } : {}) };
}

/**
 * The Telemetry API's `metrics` for the proxy's workload (mesh → namespace → workload, Istio's
 * precedence) as Istio's stats filter overrides for the `prometheus` provider: dropped metrics, removed
 * tags, tags set by CEL; sorted by metric name. ALL_METRICS disabled for the mode = `[{ drop: true }]`
 * (no name: every metric; istiod then omits the stats filter). [] = Istio's standard metrics unchanged.
 * Reporter-specific (`mode`: CLIENT = outbound/gateway, SERVER = inbound).
 */
export function telemetryMetricOverrides(ctx: TranslateContext, mode: 'CLIENT' | 'SERVER'): IstioMetricOverride[] {
  const entries = applicableTelemetries(ctx).flatMap((s) => s.metrics ?? []);
  if (entries.length === 0) return [];
  const mesh = ctx.snapshot.meshConfig;
  const { allDisabled, byMetric } = merge(entries, mesh?.defaultProviders?.metrics ?? [PROVIDER], mode);
  if (allDisabled) return [{ drop: true }];
  return [...byMetric.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, o]) => toOverride(name, o));
}

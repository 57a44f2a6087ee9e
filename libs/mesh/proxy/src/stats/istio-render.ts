import { DEFAULT_BOUND_LABELS, type Histogram } from './histogram';
import { HTTP_LABELS, PEER_LABELS, TCP_LABELS } from './istio-labels';
import type { Edge, HttpSeries, IstioMetrics, StatsScope } from './istio-metrics';
import { escapeLabelValue } from './prom-text';

/**
 * The standard metrics as Envoy's /stats/prometheus prints them: `# TYPE` per family, counters as
 * `name{labels} n`, histograms as cumulative `_bucket{labels,le="…"}` (Envoy's `%g` bounds, then
 * `+Inf`), `_sum`, `_count`. Series with equal labels (two listeners, one edge) are added up.
 */

/** Metric names without `istio_` (the overrides' spelling), by kind. */
export const HTTP_COUNTERS = ['requests_total'] as const;
export const HTTP_HISTOGRAMS = ['request_duration_milliseconds', 'request_bytes', 'response_bytes'] as const;
export const TCP_COUNTERS = ['tcp_sent_bytes_total', 'tcp_received_bytes_total', 'tcp_connections_opened_total', 'tcp_connections_closed_total'] as const;
export const ALL_METRICS: readonly string[] = [...HTTP_COUNTERS, ...HTTP_HISTOGRAMS, ...TCP_COUNTERS, 'request_messages_total', 'response_messages_total'];

type Acc = { value: number } | { counts: number[]; sum: number; count: number };
type Families = Map<string, Map<string, Acc>>;

function labelText(scope: StatsScope, metric: string, names: readonly string[], peer: readonly string[], tail: readonly string[]): string {
  const removed = scope.overrides.removeTags.get(metric);
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (removed?.has(name) === true) continue;
    const value = i < PEER_LABELS.length ? peer[i] : tail[i - PEER_LABELS.length];
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value ?? '')}"`;
  }
  return out;
}

function family(f: Families, metric: string): Map<string, Acc> {
  let m = f.get(metric);
  if (m === undefined) f.set(metric, (m = new Map()));
  return m;
}

function addCounter(f: Families, metric: string, labels: string, n: number): void {
  const m = family(f, metric);
  const acc = m.get(labels);
  if (acc !== undefined && 'value' in acc) acc.value += n;
  else m.set(labels, { value: n });
}

function addHistogram(f: Families, metric: string, labels: string, h: Histogram): void {
  const m = family(f, metric);
  const acc = m.get(labels);
  const cumulative = h.cumulative();
  if (acc !== undefined && 'counts' in acc) {
    cumulative.forEach((c, i) => (acc.counts[i] = (acc.counts[i] ?? 0) + c));
    acc.sum += h.sum;
    acc.count += h.count;
  } else m.set(labels, { counts: cumulative, sum: h.sum, count: h.count });
}

/** istio_stats records the message counters for gRPC requests only. */
function collectMessages(f: Families, scope: StatsScope, e: Edge, s: HttpSeries): void {
  const drop = scope.overrides.drop;
  const values: [string, number][] = [['request_messages_total', s.requestMessages], ['response_messages_total', s.responseMessages]];
  for (const [name, n] of values) if (!drop.has(name)) addCounter(f, name, labelText(scope, name, HTTP_LABELS, e.values, s.tail), n);
}

function collectEdge(f: Families, scope: StatsScope, e: Edge): void {
  const drop = scope.overrides.drop;
  for (const byCode of e.http.values()) {
    for (const s of byCode.values()) {
      if (!drop.has('requests_total')) addCounter(f, 'requests_total', labelText(scope, 'requests_total', HTTP_LABELS, e.values, s.tail), s.requests);
      const hs: [string, Histogram][] = [['request_duration_milliseconds', s.duration], ['request_bytes', s.requestBytes], ['response_bytes', s.responseBytes]];
      for (const [name, h] of hs) if (!drop.has(name)) addHistogram(f, name, labelText(scope, name, HTTP_LABELS, e.values, s.tail), h);
      if (s.tail[0] === 'grpc') collectMessages(f, scope, e, s);
    }
  }
  for (const s of e.tcp.values()) {
    const values: [string, number][] = [['tcp_sent_bytes_total', s.sent], ['tcp_received_bytes_total', s.received], ['tcp_connections_opened_total', s.opened], ['tcp_connections_closed_total', s.closed]];
    for (const [name, n] of values) if (!drop.has(name)) addCounter(f, name, labelText(scope, name, TCP_LABELS, e.values, s.tail), n);
  }
}

function renderFamily(name: string, series: Map<string, Acc>): string {
  const first = series.values().next().value as Acc;
  let out = `# TYPE ${name} ${'value' in first ? 'counter' : 'histogram'}\n`;
  for (const [labels, acc] of series) {
    if ('value' in acc) {
      out += `${name}{${labels}} ${acc.value}\n`;
      continue;
    }
    const sep = labels === '' ? '' : ',';
    acc.counts.forEach((c, i) => (out += `${name}_bucket{${labels}${sep}le="${DEFAULT_BOUND_LABELS[i] ?? '+Inf'}"} ${c}\n`));
    out += `${name}_sum{${labels}} ${acc.sum}\n${name}_count{${labels}} ${acc.count}\n`;
  }
  return out;
}

/** The standard metrics' exposition text (families sorted by name), '' when nothing was recorded. */
export function renderIstioMetrics(metrics: IstioMetrics): string {
  const f: Families = new Map();
  for (const scope of metrics.all()) for (const e of scope.all) collectEdge(f, scope, e);
  return [...f.keys()]
    .sort()
    .map((m) => renderFamily(`istio_${m}`, f.get(m) as Map<string, Acc>))
    .join('');
}

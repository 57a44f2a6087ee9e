import { DEFAULT_BOUND_LABELS, type Histogram } from './histogram';
import { HTTP_LABELS, TCP_LABELS } from './istio-labels';
import { ChunkWriter, joinChunks } from './text-chunks';
import type { Edge, HttpSeries, IstioMetrics, StatsScope } from './istio-metrics';

/**
 * The standard metrics as Envoy's /stats/prometheus prints them: `# TYPE` per family, counters as
 * `name{labels} n`, histograms as cumulative `_bucket{labels,le="…"}` (Envoy's `%g` bounds, then
 * `+Inf`), `_sum`, `_count`. Series with equal labels (two listeners, one edge) are added up.
 * A scrape first copies the numbers (collectIstioMetrics: the series' cached label text as keys, so
 * it builds no label string), then writes that copy into Buffers chunk by chunk (text-chunks.ts) — traffic recorded while the lines
 * are written to a slow scraper does not tear a histogram.
 */

/** Metric names without `istio_` (the overrides' spelling), by kind. */
export const HTTP_COUNTERS = ['requests_total'] as const;
export const HTTP_HISTOGRAMS = ['request_duration_milliseconds', 'request_bytes', 'response_bytes'] as const;
export const TCP_COUNTERS = ['tcp_sent_bytes_total', 'tcp_received_bytes_total', 'tcp_connections_opened_total', 'tcp_connections_closed_total'] as const;
export const ALL_METRICS: readonly string[] = [...HTTP_COUNTERS, ...HTTP_HISTOGRAMS, ...TCP_COUNTERS, 'request_messages_total', 'response_messages_total'];

type Acc = { value: number } | { counts: number[]; sum: number; count: number };
/** metric (without `istio_`) → label text → summed values. */
export type IstioFamilies = Map<string, Map<string, Acc>>;

function family(f: IstioFamilies, metric: string): Map<string, Acc> {
  let m = f.get(metric);
  if (m === undefined) f.set(metric, (m = new Map()));
  return m;
}

function addCounter(f: IstioFamilies, metric: string, labels: string, n: number): void {
  const m = family(f, metric);
  const acc = m.get(labels);
  if (acc !== undefined && 'value' in acc) acc.value += n;
  else m.set(labels, { value: n });
}

function addHistogram(f: IstioFamilies, metric: string, labels: string, h: Histogram): void {
  const m = family(f, metric);
  const acc = m.get(labels);
  const cumulative = h.cumulative();
  if (acc !== undefined && 'counts' in acc) {
    cumulative.forEach((c, i) => (acc.counts[i] = (acc.counts[i] ?? 0) + c));
    acc.sum += h.sum;
    acc.count += h.count;
  } else m.set(labels, { counts: cumulative, sum: h.sum, count: h.count });
}

const httpText = (scope: StatsScope, e: Edge, s: HttpSeries, metric: string): string => s.labels.text(scope.overrides, metric, HTTP_LABELS, e.values, s.tail);

function collectHttp(f: IstioFamilies, scope: StatsScope, e: Edge, s: HttpSeries): void {
  const drop = scope.overrides.drop;
  if (!drop.has('requests_total')) addCounter(f, 'requests_total', httpText(scope, e, s, 'requests_total'), s.requests);
  if (!drop.has('request_duration_milliseconds')) addHistogram(f, 'request_duration_milliseconds', httpText(scope, e, s, 'request_duration_milliseconds'), s.duration);
  if (!drop.has('request_bytes')) addHistogram(f, 'request_bytes', httpText(scope, e, s, 'request_bytes'), s.requestBytes);
  if (!drop.has('response_bytes')) addHistogram(f, 'response_bytes', httpText(scope, e, s, 'response_bytes'), s.responseBytes);
  // istio_stats records the message counters for gRPC requests only.
  if (s.tail[0] !== 'grpc') return;
  if (!drop.has('request_messages_total')) addCounter(f, 'request_messages_total', httpText(scope, e, s, 'request_messages_total'), s.requestMessages);
  if (!drop.has('response_messages_total')) addCounter(f, 'response_messages_total', httpText(scope, e, s, 'response_messages_total'), s.responseMessages);
}

function collectEdge(f: IstioFamilies, scope: StatsScope, e: Edge): void {
  for (const byCode of e.http.values()) for (const s of byCode.values()) collectHttp(f, scope, e, s);
  const drop = scope.overrides.drop;
  for (const s of e.tcp.values()) {
    const add = (metric: string, n: number): void => {
      if (!drop.has(metric)) addCounter(f, metric, s.labels.text(scope.overrides, metric, TCP_LABELS, e.values, s.tail), n);
    };
    add('tcp_sent_bytes_total', s.sent);
    add('tcp_received_bytes_total', s.received);
    add('tcp_connections_opened_total', s.opened);
    add('tcp_connections_closed_total', s.closed);
  }
}

/** A copy of every series' numbers, summed by label text. */
export function collectIstioMetrics(metrics: IstioMetrics): IstioFamilies {
  const f: IstioFamilies = new Map();
  for (const scope of metrics.all()) for (const e of scope.all) collectEdge(f, scope, e);
  return f;
}

/** `le="…"} ` per bucket, after labels (`,` first) or alone: made once, so a bucket line builds no string but its count. */
const LE_AFTER_LABELS: readonly string[] = [...DEFAULT_BOUND_LABELS, '+Inf'].map((le) => `,le="${le}"} `);
const LE_ALONE: readonly string[] = [...DEFAULT_BOUND_LABELS, '+Inf'].map((le) => `le="${le}"} `);

function putSample(w: ChunkWriter, prefix: string, labels: string, suffix: string, value: number): void {
  w.put(prefix);
  w.put(labels);
  w.put(suffix);
  w.put(String(value));
  w.put('\n');
}

function putHistogram(w: ChunkWriter, name: string, labels: string, acc: { counts: number[]; sum: number; count: number }): void {
  const le = labels === '' ? LE_ALONE : LE_AFTER_LABELS;
  const bucket = `${name}_bucket{`;
  for (let i = 0; i < acc.counts.length; i++) putSample(w, bucket, labels, le[i] as string, acc.counts[i] as number);
  putSample(w, `${name}_sum{`, labels, '} ', acc.sum);
  putSample(w, `${name}_count{`, labels, '} ', acc.count);
}

function* familyChunks(w: ChunkWriter, name: string, series: Map<string, Acc>): Generator<Buffer, void, undefined> {
  const first = series.values().next().value as Acc;
  w.put(`# TYPE ${name} ${'value' in first ? 'counter' : 'histogram'}\n`);
  for (const [labels, acc] of series) {
    if ('value' in acc) putSample(w, `${name}{`, labels, '} ', acc.value);
    else putHistogram(w, name, labels, acc);
    yield* w.take();
  }
}

/** The collected families' exposition, families sorted by name, as chunks of the writer's size. */
export function* istioMetricChunks(f: IstioFamilies, w: ChunkWriter = new ChunkWriter()): Generator<Buffer, void, undefined> {
  for (const m of [...f.keys()].sort()) yield* familyChunks(w, `istio_${m}`, f.get(m) as Map<string, Acc>);
  yield* w.end();
}

/** The standard metrics' exposition text (families sorted by name), '' when nothing was recorded. */
export function renderIstioMetrics(metrics: IstioMetrics): string {
  return joinChunks(istioMetricChunks(collectIstioMetrics(metrics)));
}

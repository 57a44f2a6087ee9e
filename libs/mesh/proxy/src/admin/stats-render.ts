import type { ProxyContext } from '../proxy-context';
import { collectIstioMetrics, istioMetricChunks } from '../stats/istio-render';
import { ChunkWriter } from '../stats/text-chunks';
import { escapeLabelValue as esc } from '../stats/prom-text';
import type { UpstreamCluster } from '../upstream/upstream-cluster';

type Sample = [name: string, labels: string, value: number, kind: 'counter' | 'gauge'];
/** What a scrape collects: `/stats` text lines (name, value) or Prometheus samples, never both. */
interface Samples {
  readonly text: [string, number][] | undefined;
  readonly prom: Sample[];
}

/** `envoy_cluster_<stat with . as _>`, made once per stat name (the set is small and fixed). */
const CLUSTER_PROM = new Map<string, string>();
function clusterProm(stat: string): string {
  let p = CLUSTER_PROM.get(stat);
  if (p === undefined) CLUSTER_PROM.set(stat, (p = `envoy_cluster_${stat.replace(/\./g, '_')}`));
  return p;
}

function codeSamples(s: Samples, name: string, label: string, byCode: ReadonlyMap<number, number>): void {
  const classes = new Map<number, number>();
  for (const [code, n] of byCode) {
    s.text?.push([`cluster.${name}.upstream_rq_${code}`, n]);
    const klass = (code / 100) | 0;
    classes.set(klass, (classes.get(klass) ?? 0) + n);
    if (s.text === undefined) s.prom.push(['envoy_cluster_upstream_rq', `response_code_class="${klass}xx",response_code="${code}",${label}`, n, 'counter']);
  }
  for (const [klass, n] of classes) {
    s.text?.push([`cluster.${name}.upstream_rq_${klass}xx`, n]);
    if (s.text === undefined) s.prom.push(['envoy_cluster_upstream_rq_xx', `response_code_class="${klass}",${label}`, n, 'counter']);
  }
}

/** Every cluster stat, built only at scrape time. */
function clusterSamples(ctx: ProxyContext, s: Samples): void {
  const add = (name: string, label: string, stat: string, value: number, kind: Sample[3]): void => {
    if (s.text !== undefined) s.text.push([`cluster.${name}.${stat}`, value]);
    else s.prom.push([clusterProm(stat), label, value, kind]);
  };
  for (const [name, stats] of ctx.clusters.statsEntries()) {
    const label = s.text === undefined ? `cluster_name="${esc(name)}"` : '';
    for (const [stat, value] of stats.counters()) add(name, label, stat, value, 'counter');
    codeSamples(s, name, label, stats.byCode);
    const live = ctx.clusters.get(name);
    if (live === undefined) continue;
    for (const [stat, value] of Object.entries(live.gauges())) add(name, label, stat, value, 'gauge');
  }
}

const CLASSES = ['total', '1xx', '2xx', '3xx', '4xx', '5xx'];

function trafficSamples(ctx: ProxyContext, s: Samples): void {
  for (const [prefix, counts] of ctx.traffic.http) {
    const label = s.text === undefined ? `http_conn_manager_prefix="${esc(prefix)}"` : '';
    counts.forEach((n, i) => {
      if (s.text !== undefined) s.text.push([`http.${prefix}.downstream_rq_${CLASSES[i]}`, n]);
      else if (i === 0) s.prom.push(['envoy_http_downstream_rq_total', label, n, 'counter']);
      else s.prom.push(['envoy_http_downstream_rq_xx', `response_code_class="${i}",${label}`, n, 'counter']);
    });
  }
}

function filterSamples(ctx: ProxyContext, s: Samples): void {
  for (const [name, promName, labels, value] of ctx.filterCounters.samples()) {
    if (s.text !== undefined) s.text.push([name, value]);
    else s.prom.push([promName, labels, value, 'counter']);
  }
}

function collect(ctx: ProxyContext, text: boolean): Samples {
  const s: Samples = { text: text ? [] : undefined, prom: [] };
  clusterSamples(ctx, s);
  trafficSamples(ctx, s);
  filterSamples(ctx, s);
  return s;
}

/** Envoy's /stats text: `name: value`, sorted. */
export function renderStatsText(ctx: ProxyContext, filter?: RegExp): string {
  const text = collect(ctx, true).text ?? [];
  return text
    .filter(([n]) => filter === undefined || filter.test(n))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([n, v]) => `${n}: ${v}\n`)
    .join('');
}

function* envoyChunks(w: ChunkWriter, prom: readonly Sample[]): Generator<Buffer, void, undefined> {
  const byName = new Map<string, Sample[]>();
  for (const s of prom) {
    const list = byName.get(s[0]);
    if (list === undefined) byName.set(s[0], [s]);
    else list.push(s);
  }
  for (const [name, samples] of [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    w.put(`# TYPE ${name} ${samples[0]?.[3] ?? 'counter'}\n`);
    for (const [, labels, value] of samples) {
      w.put(`${name}{`);
      w.put(labels);
      w.put(`} ${value}\n`);
    }
    yield* w.take();
  }
}

/**
 * Prometheus exposition (Envoy's names and labels, then Istio's standard metrics, histograms
 * included) as Buffers of at most 16 KiB. The numbers are copied when this is called; the bytes are
 * written chunk by chunk as the caller pulls, so a scrape never holds the whole body.
 */
export function prometheusChunks(ctx: ProxyContext): Iterable<Buffer> {
  const { prom } = collect(ctx, false);
  const istio = ctx.traffic.istioMetrics;
  const families = istio === undefined ? undefined : collectIstioMetrics(istio);
  function* chunks(): Generator<Buffer, void, undefined> {
    const w = new ChunkWriter();
    yield* envoyChunks(w, prom);
    if (families !== undefined) yield* istioMetricChunks(families, w);
    else yield* w.end();
  }
  return chunks();
}

function clusterLines(c: UpstreamCluster): string[] {
  const n = c.name;
  const t = c.config.thresholds;
  const lines = [
    `${n}::observability_name::${n}`,
    `${n}::default_priority::max_connections::${t.maxConnections}`,
    `${n}::default_priority::max_pending_requests::${t.maxPendingRequests}`,
    `${n}::default_priority::max_requests::${t.maxRequests}`,
    `${n}::default_priority::max_retries::${t.maxRetries}`,
    `${n}::added_via_api::true`,
  ];
  for (const e of c.endpoints()) {
    const p = `${n}::${e.address}`;
    const flags = [!e.healthy ? '/failed_eds_health' : '', e.ejected ? '/failed_outlier_check' : ''].join('');
    lines.push(
      `${p}::cx_active::${e.connections}`,
      `${p}::rq_active::${e.active}`,
      `${p}::rq_error::${e.rqError}`,
      `${p}::rq_total::${e.rqTotal}`,
      `${p}::hostname::`,
      `${p}::health_flags::${flags === '' ? 'healthy' : flags}`,
      `${p}::weight::${e.weight}`,
    );
  }
  return lines;
}

/** Envoy's /clusters text. */
export function renderClusters(ctx: ProxyContext): string {
  const lines: string[] = [];
  for (const c of ctx.clusters.all()) lines.push(...clusterLines(c));
  return lines.map((l) => `${l}\n`).join('');
}

import type { ProxyContext } from '../proxy-context';
import { renderIstioMetrics } from '../stats/istio-render';
import { escapeLabelValue as esc } from '../stats/prom-text';
import type { UpstreamCluster } from '../upstream/upstream-cluster';

type Sample = [name: string, labels: string, value: number, kind: 'counter' | 'gauge'];

/** Every stat as (envoy-text name, prometheus name+labels), built only at scrape time. */
function clusterSamples(ctx: ProxyContext): { text: [string, number][]; prom: Sample[] } {
  const text: [string, number][] = [];
  const prom: Sample[] = [];
  for (const [name, stats] of ctx.clusters.statsEntries()) {
    const label = `cluster_name="${esc(name)}"`;
    for (const [stat, value] of stats.counters()) {
      text.push([`cluster.${name}.${stat}`, value]);
      prom.push([`envoy_cluster_${stat.replace(/\./g, '_')}`, label, value, 'counter']);
    }
    const classes = new Map<number, number>();
    for (const [code, n] of stats.byCode) {
      text.push([`cluster.${name}.upstream_rq_${code}`, n]);
      const klass = (code / 100) | 0;
      classes.set(klass, (classes.get(klass) ?? 0) + n);
      prom.push(['envoy_cluster_upstream_rq', `response_code_class="${klass}xx",response_code="${code}",${label}`, n, 'counter']);
    }
    for (const [klass, n] of classes) {
      text.push([`cluster.${name}.upstream_rq_${klass}xx`, n]);
      prom.push(['envoy_cluster_upstream_rq_xx', `response_code_class="${klass}",${label}`, n, 'counter']);
    }
    const live = ctx.clusters.get(name);
    if (live === undefined) continue;
    for (const [stat, value] of Object.entries(live.gauges())) {
      text.push([`cluster.${name}.${stat}`, value]);
      prom.push([`envoy_cluster_${stat.replace(/\./g, '_')}`, label, value, 'gauge']);
    }
  }
  return { text, prom };
}

function trafficSamples(ctx: ProxyContext, text: [string, number][], prom: Sample[]): void {
  const classes = ['total', '1xx', '2xx', '3xx', '4xx', '5xx'];
  for (const [prefix, counts] of ctx.traffic.http) {
    counts.forEach((n, i) => {
      text.push([`http.${prefix}.downstream_rq_${classes[i]}`, n]);
      const label = `http_conn_manager_prefix="${esc(prefix)}"`;
      if (i === 0) prom.push(['envoy_http_downstream_rq_total', label, n, 'counter']);
      else prom.push(['envoy_http_downstream_rq_xx', `response_code_class="${i}",${label}`, n, 'counter']);
    });
  }
}

function filterSamples(ctx: ProxyContext, text: [string, number][], prom: Sample[]): void {
  for (const [name, promName, labels, value] of ctx.filterCounters.samples()) {
    text.push([name, value]);
    prom.push([promName, labels, value, 'counter']);
  }
}

/** Envoy's /stats text: `name: value`, sorted. */
export function renderStatsText(ctx: ProxyContext, filter?: RegExp): string {
  const { text, prom } = clusterSamples(ctx);
  trafficSamples(ctx, text, prom);
  filterSamples(ctx, text, prom);
  return text
    .filter(([n]) => filter === undefined || filter.test(n))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([n, v]) => `${n}: ${v}\n`)
    .join('');
}

/** Prometheus exposition text (Envoy's names and labels). */
export function renderPrometheus(ctx: ProxyContext): string {
  const { text, prom } = clusterSamples(ctx);
  trafficSamples(ctx, text, prom);
  filterSamples(ctx, text, prom);
  const byName = new Map<string, Sample[]>();
  for (const s of prom) {
    const list = byName.get(s[0]);
    if (list === undefined) byName.set(s[0], [s]);
    else list.push(s);
  }
  let out = '';
  for (const [name, samples] of [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out += `# TYPE ${name} ${samples[0][3]}\n`;
    for (const [, labels, value] of samples) out += `${name}{${labels}} ${value}\n`;
  }
  // Istio's standard metrics (istio.stats filters), histograms included.
  const istio = ctx.traffic.istioMetrics;
  return istio === undefined ? out : out + renderIstioMetrics(istio);
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

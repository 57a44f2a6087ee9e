import { selector, type Matchers } from '../graph/graph-queries';
import { COUNTERS, HISTOGRAMS, type MetricsOptions } from './metrics-options';

/** Whose metrics (§4.12 label builders). */
export type MetricsTarget =
  | { kind: 'namespace'; namespace: string }
  | { kind: 'workload' | 'app'; namespace: string; name: string }
  | { kind: 'service'; namespace: string; name: string }
  | { kind: 'aggregate'; namespace: string; aggregate: string; value: string; service?: string };

export function targetMatchers(t: MetricsTarget, o: MetricsOptions): Matchers {
  const side = o.direction === 'inbound' ? 'destination' : 'source';
  const m: Matchers = [['reporter', '=', o.reporter]];
  if (t.kind === 'service') m.push(['destination_service_name', '=', t.name], ['destination_service_namespace', '=', t.namespace]);
  else if (t.kind === 'aggregate') {
    m.push(['destination_workload_namespace', '=', t.namespace], [t.aggregate, '=', t.value]);
    if (t.service !== undefined) m.push(['destination_service_name', '=', t.service]);
  } else {
    m.push([`${side}_workload_namespace`, '=', t.namespace]);
    if (t.kind === 'workload') m.push([`${side}_workload`, '=', t.name]);
    if (t.kind === 'app') m.push([`${side}_canonical_service`, '=', t.name]);
  }
  return m;
}

const ERR = '^0$|^[4-5]\\d\\d$';
const by = (labels: readonly string[]): string => (labels.length > 0 ? ` by (${labels.join(',')})` : '');
const sumRate = (metric: string, m: Matchers, o: MetricsOptions, extra: readonly string[] = []): string =>
  `sum(rate(${selector(metric, m)}[${o.rateInterval}]))${by([...extra, ...o.byLabels])}`;

export interface MetricQuery {
  promql: string;
  /** `avg` or a quantile for histograms. */
  stat?: string;
}

/** The PromQL of one filter (§4.12). */
export function metricQueries(filter: string, base: Matchers, o: MetricsOptions): MetricQuery[] {
  const isTcp = filter.startsWith('tcp_');
  const m: Matchers = !isTcp && o.requestProtocol !== undefined ? [...base, ['request_protocol', '=', o.requestProtocol]] : base;
  const counter = COUNTERS[filter];
  if (counter !== undefined) {
    if (filter !== 'request_error_count') return [{ promql: `round(${sumRate(counter, m, o)}, 0.001)` }];
    const http = sumRate(counter, [...m, ['response_code', '=~', ERR]], o);
    const grpc = sumRate(counter, [...m, ['grpc_response_status', '=~', '^[1-9]$|^1[0-6]$'], ['response_code', '!~', ERR]], o);
    return [{ promql: `round(${http} or ${grpc}, 0.001)` }];
  }
  const h = HISTOGRAMS[filter] as string;
  const out: MetricQuery[] = [];
  if (o.avg) out.push({ promql: `${sumRate(`${h}_sum`, m, o)} / ${sumRate(`${h}_count`, m, o)}`, stat: 'avg' });
  for (const q of o.quantiles) out.push({ promql: `histogram_quantile(${q}, ${sumRate(`${h}_bucket`, m, o, ['le'])})`, stat: q });
  return out;
}

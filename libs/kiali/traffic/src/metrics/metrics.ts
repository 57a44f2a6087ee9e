import type { Series } from '../inventory';
import type { MetricsOptions } from './metrics-options';
import { metricQueries, targetMatchers, type MetricsTarget } from './metrics-queries';

export interface MetricSeries {
  labels: Record<string, string>;
  name: string;
  stat?: string;
  /** `[epochSeconds, "value"]` (Prometheus SamplePair encoding, pitfall 6). */
  datapoints: [number, string][];
}

export type RangeQuery = (promql: string, start: number, end: number, step: number) => Promise<Series[]>;

function toSeries(s: Series, name: string, o: MetricsOptions, stat: string | undefined): MetricSeries | undefined {
  const labels: Record<string, string> = {};
  for (const l of o.byLabels) if (s.metric[l] !== undefined) labels[l] = s.metric[l] as string;
  const datapoints = s.values.filter(([, v]) => Number.isFinite(v)).map(([t, v]): [number, string] => [t, String(v)]);
  if (datapoints.length === 0) return undefined;
  return { labels, name, ...(stat === undefined ? {} : { stat }), datapoints };
}

/** `…/metrics`: each requested filter → its series (empty array = "No traffic"). */
export async function collectMetrics(target: MetricsTarget, o: MetricsOptions, range: RangeQuery): Promise<Record<string, MetricSeries[]>> {
  const base = targetMatchers(target, o);
  const start = o.queryTime - o.duration;
  const entries = await Promise.all(
    o.filters.map(async (filter): Promise<[string, MetricSeries[]]> => {
      const results = await Promise.all(
        metricQueries(filter, base, o).map(async (q) => (await range(q.promql, start, o.queryTime, o.step)).map((s) => toSeries(s, filter, o, q.stat))),
      );
      return [filter, results.flat().filter((s): s is MetricSeries => s !== undefined)];
    }),
  );
  return Object.fromEntries(entries);
}

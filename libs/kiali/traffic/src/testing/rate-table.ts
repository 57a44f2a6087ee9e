import type { MetricsSource, Sample, Series } from '../inventory';
import { matches, type Matcher, type RateSource, type VectorSample } from '../promql/ast';
import { evaluate } from '../promql/eval';
import { parsePromQL } from '../promql/parse';

/** A series whose `rate()` is a constant: test input for the PromQL evaluator. */
export interface RateRow {
  metric: string;
  labels: Record<string, string>;
  rate: number;
}

export function rateTable(rows: readonly RateRow[]): RateSource {
  return {
    rate(metric: string, m: readonly Matcher[]): VectorSample[] {
      return rows.filter((r) => r.metric === metric && matches(r.labels, m)).map((r) => ({ labels: { ...r.labels }, value: r.rate }));
    },
  };
}

/** An `InstantQuery` answering real PromQL text from constant rates; records the queries it saw. */
export function tableQuery(rows: readonly RateRow[]): ((promql: string, time: number) => Promise<Sample[]>) & { seen: string[] } {
  const source = rateTable(rows);
  const seen: string[] = [];
  const fn = async (promql: string, time: number): Promise<Sample[]> => {
    seen.push(promql);
    const v = evaluate(parsePromQL(promql), source, time);
    return typeof v === 'number' ? [] : v.map((s) => ({ metric: s.labels, timestamp: time, value: s.value }));
  };
  return Object.assign(fn, { seen });
}

/** A whole MetricsSource over constant rates (range queries evaluate every step). */
export function tableSource(rows: readonly RateRow[]): MetricsSource & { seen: string[] } {
  const instant = tableQuery(rows);
  return {
    name: 'table',
    seen: instant.seen,
    query: instant,
    async queryRange(promql: string, start: number, end: number, step: number): Promise<Series[]> {
      const bySeries = new Map<string, Series>();
      for (let t = start; t <= end; t += step) {
        for (const s of await instant(promql, t)) {
          const k = JSON.stringify(s.metric);
          const series = bySeries.get(k) ?? { metric: s.metric, values: [] };
          series.values.push([t, s.value]);
          bySeries.set(k, series);
        }
      }
      return [...bySeries.values()];
    },
  };
}

import type { Sample } from '../inventory';
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

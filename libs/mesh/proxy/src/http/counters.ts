/** One counter; filters keep the object and bump `value` on the hot path (no lookup per request). */
export interface Counter {
  value: number;
}

interface Entry {
  readonly counter: Counter;
  /** Prometheus metric name and label text (Envoy's tag extraction applied). */
  readonly prom: string;
  readonly labels: string;
}

/**
 * Counters of the HTTP filters, by Envoy stat name (`http.<stat_prefix>.fault.aborts_injected`,
 * `<stat_prefix>.http_local_rate_limit.rate_limited`). A counter lives as long as the proxy: config
 * updates that recompile a filter get the same object back, so counts survive LDS/RDS pushes.
 */
export class FilterCounters {
  private readonly entries = new Map<string, Entry>();

  counter(name: string, prom: string = promName(name), labels = ''): Counter {
    let e = this.entries.get(name);
    if (e === undefined) {
      e = { counter: { value: 0 }, prom, labels };
      this.entries.set(name, e);
    }
    return e.counter;
  }

  *samples(): IterableIterator<[name: string, prom: string, labels: string, value: number]> {
    for (const [name, e] of this.entries) yield [name, e.prom, e.labels, e.counter.value];
  }
}

/** Envoy's Prometheus name for a stat without tags: `envoy_` + the name with non-word characters as `_`. */
export function promName(name: string): string {
  return `envoy_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

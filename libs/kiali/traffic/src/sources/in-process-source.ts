import { request } from 'undici';
import { errorMessage, silentLogger, type Logger } from '@trellis/shared';
import type { InProcessSourceOptions, InventoryWorkload, MetricsSource, Sample, Series } from '../inventory';
import { evaluate } from '../promql/eval';
import { parsePromQL } from '../promql/parse';
import { parsePromText } from './prom-text';
import { SampleStore } from './sample-store';

type Pod = InventoryWorkload['pods'][number];

/** Envoy's Prometheus endpoint of a pod (`:15090/stats/prometheus`). */
export function defaultStatsUrl(pod: Pod): string {
  const host = pod.address.includes(':') ? `[${pod.address}]` : pod.address;
  return `http://${host}:15090/stats/prometheus`;
}

async function scrapeOne(url: string, timeoutMs: number): Promise<string | undefined> {
  const res = await request(url, { signal: AbortSignal.timeout(timeoutMs), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  if (res.statusCode !== 200) {
    await res.body.dump();
    return undefined;
  }
  return res.body.text();
}

class Scraper {
  readonly store: SampleStore;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: InProcessSourceOptions, private readonly log: Logger) {
    const retention = opts.retentionSeconds ?? 600;
    // Enough slots for the retention at the scrape interval, plus slack for jitter.
    const capacity = Math.ceil((retention * 1000) / (opts.intervalMs ?? 5000)) + 4;
    this.store = new SampleStore(retention, opts.maxSeries ?? 20_000, capacity);
  }

  /** One round over every pod the inventory knows; overlapping rounds are skipped. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    let workloads: InventoryWorkload[];
    try {
      workloads = await this.opts.inventory.workloads();
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'in-process metrics: inventory unavailable');
      return;
    }
    const pods = workloads.flatMap((w) => w.pods.filter((p) => p.address !== ''));
    const urlOf = this.opts.statsUrl ?? defaultStatsUrl;
    await Promise.all(pods.map((p) => this.scrapePod(urlOf(p), p)));
    this.store.prune(Date.now() / 1000);
  }

  private async scrapePod(url: string, pod: Pod): Promise<void> {
    // Prometheus stamps a scrape's samples with the time the scrape started, not when it ended:
    // a slow response must not stretch the interval the counters are divided by.
    const startedAt = Date.now() / 1000;
    try {
      const text = await scrapeOne(url, this.opts.fetchTimeoutMs ?? 2000);
      if (text === undefined) return;
      this.store.add(parsePromText(text, (n) => n.startsWith('istio_')), startedAt, { instance: url.replace(/^https?:\/\//, '').split('/')[0] ?? pod.name });
    } catch (err) {
      this.log.debug({ pod: pod.name, url, err: errorMessage(err) }, 'in-process metrics: scrape failed');
    }
  }
}

/**
 * The fallback when no Prometheus runs: scrapes every pod's Envoy stats each `intervalMs`, keeps a
 * bounded ring of `istio_*` samples and evaluates the PromQL subset Kiali's graph, health and
 * metrics queries use. Unsupported PromQL answers `[]` (logged).
 */
export function inProcessSource(opts: InProcessSourceOptions): MetricsSource & { close(): void; scrapeNow(): Promise<void> } {
  const log = opts.logger ?? silentLogger();
  const scraper = new Scraper(opts, log);
  const timer = setInterval(() => void scraper.tick(), opts.intervalMs ?? 5000);
  timer.unref();
  void scraper.tick();

  const instant = (promql: string, time: number): Sample[] => {
    try {
      const v = evaluate(parsePromQL(promql), scraper.store, time);
      return typeof v === 'number' ? [] : v.map((s) => ({ metric: s.labels, timestamp: time, value: s.value }));
    } catch (err) {
      log.warn({ query: promql, err: errorMessage(err) }, 'in-process metrics: query not answered');
      return [];
    }
  };

  return {
    name: 'in-process',
    query: async (promql, time) => instant(promql, time),
    async queryRange(promql: string, start: number, end: number, step: number): Promise<Series[]> {
      const bySeries = new Map<string, Series>();
      for (let t = start; t <= end && step > 0; t += step) {
        for (const s of instant(promql, t)) {
          const k = JSON.stringify(s.metric);
          const series = bySeries.get(k) ?? { metric: s.metric, values: [] };
          series.values.push([t, s.value]);
          bySeries.set(k, series);
        }
      }
      return [...bySeries.values()];
    },
    close: () => clearInterval(timer),
    scrapeNow: () => scraper.tick(),
  };
}

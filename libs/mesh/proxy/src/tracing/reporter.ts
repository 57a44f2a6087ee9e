import type { Counter } from '../http/counters';
import type { ProxyContext } from '../proxy-context';
import { type SideCall, sideCall } from '../upstream/side-call';
import { otlpFormat } from './otlp-json';
import { SpanBatch } from './span-batch';
import type { SpanFormat, SpanRecord } from './span-context';
import type { TagList } from './tag-list';
import { zipkinFormat } from './zipkin-json';

/**
 * Envoy's span reporter (zipkin ReporterImpl, the OpenTelemetry HTTP exporter): finished spans are
 * serialised into one batch and POSTed to the collector cluster through the proxy's own upstream
 * (`sideCall`, a kept connection) once `minFlushSpans` are pending or every `flushIntervalMs` (Envoy's
 * runtime defaults 5 and 5000 ms, request timeout 5000 ms). Trellis then lets the batch fill for
 * `batchWindowMs` more (or until `maxBatchBytes`), so under load one POST carries many spans: a POST
 * costs the proxy far more than a span. A report never waits on a request: a collector that is down or
 * slow only moves counters — `tracing.<driver>.{spans_sent,timer_flushed,reports_skipped_no_cluster,reports_sent,reports_dropped,reports_failed}`
 * as Envoy names them, plus `spans_dropped` (Trellis: a span that found the batch full while
 * `maxInFlight` reports wait on the collector) — and memory stays bounded: one staging batch plus
 * `maxInFlight` bodies of at most `maxBatchBytes`, plus one spare (SpanBatch: a sent body's buffer is
 * reused, so a report allocates nothing).
 */
export interface FlushPolicy {
  readonly minFlushSpans: number;
  readonly flushIntervalMs: number;
  /** Reports waiting on the collector at once; meanwhile spans stay in the batch until it is full. */
  readonly maxInFlight: number;
  /** Once `minFlushSpans` are pending, how long more spans may join the batch (0: send at once, as Envoy). */
  readonly batchWindowMs?: number;
  /** Largest request body; a full batch is sent at once. */
  readonly maxBatchBytes?: number;
}

export const DEFAULT_FLUSH_POLICY: FlushPolicy = { minFlushSpans: 5, flushIntervalMs: 5000, maxInFlight: 4, batchWindowMs: 100, maxBatchBytes: 256 * 1024 };

export interface CollectorTarget {
  readonly driver: 'zipkin' | 'opentelemetry';
  readonly cluster: string;
  readonly path: string;
  /** Host header: collector_hostname, the http_uri's authority, else the cluster name (Envoy). */
  readonly host: string;
  readonly timeoutMs: number;
  /** OpenTelemetryConfig.service_name (default: the node cluster). */
  readonly serviceName?: string;
}

type StatName = 'spans_sent' | 'timer_flushed' | 'reports_skipped_no_cluster' | 'reports_sent' | 'reports_dropped' | 'reports_failed' | 'spans_dropped';
const STAT_NAMES: readonly StatName[] = ['spans_sent', 'timer_flushed', 'reports_skipped_no_cluster', 'reports_sent', 'reports_dropped', 'reports_failed', 'spans_dropped'];

export class SpanReporter {
  private readonly batch: SpanBatch;
  private readonly format: SpanFormat;
  private timer: NodeJS.Timeout | undefined;
  /** The armed timer is the short batch window (else the flush interval). */
  private windowTimer = false;
  private inFlight = 0;
  private readonly calls = new Set<SideCall>();
  private readonly stats: Record<StatName, Counter>;
  private readonly windowMs: number;

  constructor(
    readonly target: CollectorTarget,
    private readonly ctx: ProxyContext,
    private readonly policy: FlushPolicy,
  ) {
    this.stats = Object.fromEntries(STAT_NAMES.map((n) => [n, ctx.filterCounters.counter(`tracing.${target.driver}.${n}`)])) as Record<StatName, Counter>;
    const local = { serviceName: ctx.node.cluster, ipv4: ctx.node.instanceIp };
    this.format = target.driver === 'zipkin' ? zipkinFormat(local) : otlpFormat(local, target.serviceName);
    this.batch = new SpanBatch(this.format, policy.maxBatchBytes ?? (DEFAULT_FLUSH_POLICY.maxBatchBytes as number));
    this.windowMs = policy.batchWindowMs ?? 0;
  }

  report(span: SpanRecord, tags: TagList): void {
    const json = this.format.span(span, tags);
    if (!this.batch.append(json)) {
      this.flush();
      if (!this.batch.append(json)) {
        this.stats.spans_dropped.value++;
        return;
      }
    }
    this.schedule();
  }

  /** Stops the timer and abandons reports in flight (proxy shutdown); buffered spans are dropped, as in Envoy. */
  close(): void {
    this.clearTimer();
    for (const call of this.calls) call.cancel();
    this.calls.clear();
    this.batch.clear();
  }

  private schedule(): void {
    const n = this.batch.spans;
    if (n < this.policy.minFlushSpans) {
      this.timer ??= setTimeout(this.onTimer, this.policy.flushIntervalMs).unref();
    } else if (this.windowMs <= 0) {
      this.flush();
    } else if (!this.windowTimer) {
      this.clearTimer();
      this.windowTimer = true;
      this.timer = setTimeout(this.onTimer, this.windowMs).unref();
    }
  }

  private readonly onTimer = (): void => {
    if (!this.windowTimer) this.stats.timer_flushed.value++;
    this.timer = undefined;
    this.windowTimer = false;
    this.flush();
  };

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.windowTimer = false;
  }

  /** Sends the batch unless `maxInFlight` reports already wait (then the spans stay, the batch fills). */
  private flush(): void {
    this.clearTimer();
    const n = this.batch.spans;
    if (n === 0 || this.inFlight >= this.policy.maxInFlight) return;
    const body = this.batch.take();
    this.stats.spans_sent.value += n;
    if (this.ctx.clusters.get(this.target.cluster) === undefined) {
      this.stats.reports_skipped_no_cluster.value++;
      return;
    }
    this.send(body);
  }

  private send(body: Buffer): void {
    const t = this.target;
    const headers = { host: t.host, 'content-type': 'application/json', 'content-length': String(body.length) };
    this.inFlight++;
    let settled = false;
    const entry: { call?: SideCall } = {};
    entry.call = sideCall(this.ctx, { cluster: t.cluster, method: 'POST', path: t.path, headers, body, timeoutMs: t.timeoutMs }, (res, failure) => {
      settled = true;
      this.inFlight--;
      if (entry.call !== undefined) this.calls.delete(entry.call);
      this.count(res?.status, failure);
      // Answered with success: the collector read the whole body, its buffer can take the next batch.
      if (res !== undefined && res.status >= 200 && res.status < 300) this.batch.recycle(body);
      if (this.batch.spans > 0) this.schedule();
    });
    if (!settled) this.calls.add(entry.call);
  }

  private count(status: number | undefined, failure: string | undefined): void {
    if (status === undefined) {
      this.stats.reports_failed.value++;
      this.ctx.logger.debug({ cluster: this.target.cluster, failure }, 'span report failed');
    } else if (this.target.driver === 'zipkin' ? status === 202 : status >= 200 && status < 300) {
      this.stats.reports_sent.value++;
    } else {
      this.stats.reports_dropped.value++;
    }
  }
}

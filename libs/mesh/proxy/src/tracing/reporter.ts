import type { Counter } from '../http/counters';
import type { ProxyContext } from '../proxy-context';
import { type SideCall, sideCall } from '../upstream/side-call';
import { otlpJson } from './otlp-json';
import type { FinishedSpan, LocalEndpoint } from './span-context';
import { zipkinJson } from './zipkin-json';

/**
 * Envoy's span reporter (zipkin ReporterImpl, the OpenTelemetry HTTP exporter): finished spans are
 * buffered and POSTed to the collector cluster through the proxy's own upstream (`sideCall`) when
 * `minFlushSpans` are pending or every `flushIntervalMs` (Envoy's runtime defaults 5 and 5000 ms,
 * request timeout 5000 ms). A report never waits on a request: a collector that is down or slow only
 * moves counters — `tracing.<driver>.{spans_sent,timer_flushed,reports_skipped_no_cluster,reports_sent,reports_dropped,reports_failed}`
 * as Envoy names them, plus `spans_dropped` (Trellis: a batch not sent because `maxInFlight`
 * reports are already waiting on the collector), so memory stays bounded.
 */
export interface FlushPolicy {
  readonly minFlushSpans: number;
  readonly flushIntervalMs: number;
  /** Reports waiting on the collector at once; more batches are dropped and counted. */
  readonly maxInFlight: number;
}

export const ENVOY_FLUSH_POLICY: FlushPolicy = { minFlushSpans: 5, flushIntervalMs: 5000, maxInFlight: 16 };

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

export class SpanReporter {
  private buffer: FinishedSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly calls = new Set<SideCall>();
  private readonly stats: Record<StatName, Counter>;
  private readonly local: LocalEndpoint;

  constructor(
    readonly target: CollectorTarget,
    private readonly ctx: ProxyContext,
    private readonly policy: FlushPolicy,
  ) {
    const c = (name: StatName): Counter => ctx.filterCounters.counter(`tracing.${target.driver}.${name}`);
    this.stats = {
      spans_sent: c('spans_sent'), timer_flushed: c('timer_flushed'), reports_skipped_no_cluster: c('reports_skipped_no_cluster'),
      reports_sent: c('reports_sent'), reports_dropped: c('reports_dropped'), reports_failed: c('reports_failed'), spans_dropped: c('spans_dropped'),
    };
    this.local = { serviceName: ctx.node.cluster, ipv4: ctx.node.instanceIp };
  }

  report(span: FinishedSpan): void {
    this.buffer.push(span);
    if (this.buffer.length >= this.policy.minFlushSpans) this.flush();
    else this.timer ??= setTimeout(this.onTimer, this.policy.flushIntervalMs).unref();
  }

  /** Stops the timer and abandons reports in flight (proxy shutdown); buffered spans are dropped, as in Envoy. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const call of this.calls) call.cancel();
    this.calls.clear();
    this.buffer = [];
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.stats.timer_flushed.value++;
    this.flush();
  };

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const spans = this.buffer;
    if (spans.length === 0) return;
    this.buffer = [];
    this.stats.spans_sent.value += spans.length;
    if (this.ctx.clusters.get(this.target.cluster) === undefined) {
      this.stats.reports_skipped_no_cluster.value++;
      return;
    }
    if (this.inFlight >= this.policy.maxInFlight) {
      this.stats.spans_dropped.value += spans.length;
      return;
    }
    this.send(spans);
  }

  private send(spans: FinishedSpan[]): void {
    const t = this.target;
    const body = Buffer.from(t.driver === 'zipkin' ? zipkinJson(spans, this.local) : otlpJson(spans, this.local, t.serviceName));
    const headers = { host: t.host, 'content-type': 'application/json', 'content-length': String(body.length) };
    this.inFlight++;
    let settled = false;
    const entry: { call?: SideCall } = {};
    entry.call = sideCall(this.ctx, { cluster: t.cluster, method: 'POST', path: t.path, headers, body, timeoutMs: t.timeoutMs }, (res, failure) => {
      settled = true;
      this.inFlight--;
      if (entry.call !== undefined) this.calls.delete(entry.call);
      this.count(res?.status, failure);
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

/**
 * Collector and storage counters in Prometheus text at `/prometheus` (Zipkin's path; `/metrics` too),
 * with Zipkin's collector metric names and a `transport` label (`http` for Zipkin JSON, `otlp_http`).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { TraceStore } from '../store/store';

export type Transport = 'http' | 'otlp_http';

export interface CollectorMetrics {
  readonly registry: Registry;
  message(transport: Transport, bytes: number): void;
  accepted(transport: Transport, spans: number, evicted: number): void;
  dropped(transport: Transport, spans: number): void;
}

function counter(registry: Registry, name: string, help: string): Counter<'transport'> {
  return new Counter({ name, help, labelNames: ['transport'] as const, registers: [registry] });
}

export function createMetrics(store: TraceStore): CollectorMetrics {
  const registry = new Registry();
  const messages = counter(registry, 'zipkin_collector_messages_total', 'Messages received (one POST each)');
  const bytes = counter(registry, 'zipkin_collector_bytes_total', 'Bytes received, as sent (before gunzip)');
  const spans = counter(registry, 'zipkin_collector_spans_total', 'Spans accepted and stored');
  const messagesDropped = counter(registry, 'zipkin_collector_messages_dropped_total', 'Messages rejected (malformed or unsupported)');
  const spansDropped = counter(registry, 'zipkin_collector_spans_dropped_total', 'Spans in rejected messages, where they could be counted');
  const evictedSpans = new Counter({ name: 'zipkin_storage_spans_evicted_total', help: 'Spans evicted (oldest traces first) to stay within --max-spans', registers: [registry] });
  new Gauge({
    name: 'zipkin_storage_spans',
    help: 'Spans held in memory',
    registers: [registry],
    collect() {
      this.set(store.stats().spans);
    },
  });
  new Gauge({
    name: 'zipkin_storage_traces',
    help: 'Traces held in memory',
    registers: [registry],
    collect() {
      this.set(store.stats().traces);
    },
  });
  new Gauge({ name: 'zipkin_storage_max_spans', help: 'The --max-spans bound', registers: [registry] }).set(store.maxSpans);
  for (const transport of ['http', 'otlp_http'] as const) {
    for (const c of [messages, bytes, spans, messagesDropped, spansDropped]) c.inc({ transport }, 0);
  }
  return {
    registry,
    message(transport, n) {
      messages.inc({ transport });
      bytes.inc({ transport }, n);
    },
    accepted(transport, n, evicted) {
      spans.inc({ transport }, n);
      if (evicted > 0) evictedSpans.inc(evicted);
    },
    dropped(transport, n) {
      messagesDropped.inc({ transport });
      if (n > 0) spansDropped.inc({ transport }, n);
    },
  };
}

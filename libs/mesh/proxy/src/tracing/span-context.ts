import type { TagList } from './tag-list';

/** The trace a request continues: ids as lower-case hex (trace id 16 or 32 digits, span id 16). */
export interface SpanContext {
  readonly traceId: string;
  /** The caller's span: the parent of the span this proxy starts. */
  readonly spanId: string;
}

/** One finished span without its tags, as the reporters serialise it (Zipkin v2 or OTLP). Times in microseconds. */
export interface SpanRecord {
  readonly name: string;
  readonly kind: 'CLIENT' | 'SERVER';
  readonly traceId: string;
  readonly id: string;
  readonly parentId: string | undefined;
  readonly timestampUs: number;
  readonly durationUs: number;
  /** W3C tracestate passed through (OTLP span trace_state). */
  readonly traceState: string | undefined;
}

/** A span with its tags as a record (tests, whole-batch helpers). */
export interface FinishedSpan extends SpanRecord {
  readonly tags: Readonly<Record<string, string>>;
}

/** Where spans come from: Envoy's local_info (node cluster as the service name, the node's address). */
export interface LocalEndpoint {
  readonly serviceName: string;
  readonly ipv4: string;
}

/**
 * A collector's wire format, per span: the batch is `prefix` + spans joined by `,` + `suffix`, so the
 * reporter appends each span's JSON as it finishes and never holds span objects.
 */
export interface SpanFormat {
  readonly prefix: string;
  readonly suffix: string;
  span(s: SpanRecord, tags: TagList): string;
}

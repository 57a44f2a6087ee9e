/** The trace a request continues: ids as lower-case hex (trace id 16 or 32 digits, span id 16). */
export interface SpanContext {
  readonly traceId: string;
  /** The caller's span: the parent of the span this proxy starts. */
  readonly spanId: string;
}

/** One finished span, as the reporters serialise it (Zipkin v2 or OTLP). Times in microseconds. */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: 'CLIENT' | 'SERVER';
  readonly traceId: string;
  readonly id: string;
  readonly parentId: string | undefined;
  readonly timestampUs: number;
  readonly durationUs: number;
  readonly tags: Readonly<Record<string, string>>;
  /** W3C tracestate passed through (OTLP span trace_state). */
  readonly traceState: string | undefined;
}

/** Where spans come from: Envoy's local_info (node cluster as the service name, the node's address). */
export interface LocalEndpoint {
  readonly serviceName: string;
  readonly ipv4: string;
}

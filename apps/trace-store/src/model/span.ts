/** Zipkin's v2 span model (zipkin2-api.yaml `Span`), as stored and served. Times are epoch microseconds. */
export type SpanKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

export const SPAN_KINDS: readonly SpanKind[] = ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'];

export interface Endpoint {
  readonly serviceName?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly port?: number;
}

export interface Annotation {
  readonly timestamp: number;
  readonly value: string;
}

export interface Span {
  /** 16 or 32 lower-hex characters (a 128-bit id whose high half is zero is stored as 16). */
  readonly traceId: string;
  /** 16 lower-hex characters. */
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: SpanKind;
  readonly timestamp?: number;
  readonly duration?: number;
  readonly debug?: boolean;
  readonly shared?: boolean;
  readonly localEndpoint?: Endpoint;
  readonly remoteEndpoint?: Endpoint;
  readonly annotations?: readonly Annotation[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** One edge of the service graph (`/api/v2/dependencies`). */
export interface DependencyLink {
  readonly parent: string;
  readonly child: string;
  readonly callCount: number;
  readonly errorCount?: number;
}

export function localServiceName(span: Span): string | undefined {
  return span.localEndpoint?.serviceName;
}

export function remoteServiceName(span: Span): string | undefined {
  return span.remoteEndpoint?.serviceName;
}

/**
 * What an access log can read about one finished request or connection: Envoy's StreamInfo and
 * headers as the command operators and CEL attributes see them. Strings are '' when unknown (the
 * formatter prints `-`); header lookups take lower-case names (`:method`, `:path`, `:authority`).
 */
export interface LogRecord {
  readonly startMs: number;
  readonly durationMs: number;
  /** `HTTP/1.1`, `HTTP/2`; '' for TCP. */
  readonly protocol: string;
  readonly responseCode: number;
  readonly responseFlags: string;
  readonly responseCodeDetails: string;
  readonly connectionTerminationDetails: string;
  readonly upstreamTransportFailureReason: string;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  /** `ip:port` of the chosen upstream host. */
  readonly upstreamHost: string;
  readonly upstreamCluster: string;
  readonly upstreamLocalAddress: string;
  readonly downstreamLocalAddress: string;
  readonly downstreamRemoteAddress: string;
  readonly requestedServerName: string;
  readonly routeName: string;
  /** The downstream connection is TLS with a verified client certificate (CEL `connection.mtls`). */
  readonly mtls: boolean;
  requestHeader(name: string): string | undefined;
  responseHeader(name: string): string | undefined;
}

import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { AlpnOverride } from './alpn-pools';
import type { PendingGate } from './pending-requests';
import type { UpstreamTransport } from './tls-connect';
import type { UpstreamExchange } from './exchange-socket';

/** The contract between the request path and the per-host pools (h1/ for HTTP/1.1, h2/ for HTTP/2). */

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** One request for an upstream host. A Readable body is streamed (chunked unless it has a content-length). */
export interface UpstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: RequestHeaders | undefined;
  readonly body: Buffer | Readable | null;
  /** The HCM's `istio.alpn` override: TLS endpoints offer it instead of the cluster's ALPN (alpn-pools.ts). */
  readonly alpn?: AlpnOverride | undefined;
}

/** Handed to the handler with every callback; acts on this request only, never on a later one. */
export interface UpstreamController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

/**
 * The callbacks of one request, in order: start, then either response start → data* → end, or
 * error (at any point, at most once, and never after end).
 */
export interface UpstreamHandler {
  onRequestStart(controller: UpstreamController): void;
  onResponseStart(controller: UpstreamController, status: number, headers: IncomingHttpHeaders): void;
  onResponseData(controller: UpstreamController, chunk: Buffer): void;
  /** HTTP/2 upstreams: the trailers (gRPC's grpc-status), just before end. */
  onResponseTrailers?(controller: UpstreamController, trailers: IncomingHttpHeaders): void;
  onResponseEnd(controller: UpstreamController): void;
  onResponseError(controller: UpstreamController | undefined, err: Error): void;
}

export type UpstreamErrorCode = 'CONNECT_TIMEOUT' | 'CONNECT_FAILED' | 'STREAM_RESET' | 'PROTOCOL_ERROR' | 'HEADER_OVERFLOW' | 'CONNECTION_CLOSED' | 'POOL_CLOSED' | 'OVERFLOW';

/** Errors made by the HTTP/1.1 client itself (socket errors keep Node's code and syscall). */
export class UpstreamError extends Error {
  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
    /** True when no byte of the request can have reached the upstream (safe to treat as connect failure). */
    readonly beforeConnect = false,
    /** Envoy's %UPSTREAM_TRANSPORT_FAILURE_REASON% (a TLS handshake failure: `TLS_error:|…:TLS_error_end`). */
    readonly transportFailureReason?: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export function protocolError(message: string): UpstreamError {
  return new UpstreamError('PROTOCOL_ERROR', `upstream protocol error: ${message}`);
}

/** A per-host connection pool, HTTP/1.1 or HTTP/2. */
export interface UpstreamPool {
  /** Established connections (Envoy's cx_active). */
  readonly connected: number;
  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void;
  /** Requests in flight finish; then every connection closes. */
  close(): Promise<void>;
  /** Everything stops now. */
  destroy(): void;
}

/** A failed TLS handshake: a connect failure (UF) with its transport failure reason. */
export function tlsConnectError(reason: string): UpstreamError {
  return new UpstreamError('CONNECT_FAILED', `upstream connect error: TLS handshake failed: ${reason}`, true, reason);
}

export interface PoolOptions {
  /** Most connections to this host; 0 = unlimited. */
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  /** Idle keep-alive connections close after this long (shortened by the server's `keep-alive: timeout=`). */
  readonly idleTimeoutMs: number;
  /** 0 = unlimited. */
  readonly maxRequestsPerConnection: number;
  readonly maxHeaderBytes: number;
  /** TLS upstream (cluster transport_socket); undefined = plaintext. */
  readonly transport?: UpstreamTransport;
  /** The SNI of this pool's connections (the cluster's, or the request's host with auto_sni). */
  readonly sni?: string;
  /** upstream_bind_config.source_address: the local address connections are made from. */
  readonly localAddress?: string;
  /** The ALPN this pool's TLS connections offer instead of the cluster's (istio.alpn; alpn-pools.ts). */
  readonly alpn?: readonly string[];
  /** The cluster's upstream metadata exchange (TLS connections that negotiate its ALPN carry it: exchange-socket.ts). */
  readonly exchange?: UpstreamExchange;
  /** The cluster's max_pending_requests breaker (HTTP/1.1 pools: pending-requests.ts). */
  readonly pending?: PendingGate;
}

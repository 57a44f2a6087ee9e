import type { IncomingHttpHeaders } from 'node:http';
import { type UpstreamController, UpstreamError, type UpstreamHandler } from '../upstream/upstream-pool';
import type { AttemptFailure } from '../routing/retry-policy';
import type { Endpoint } from '../upstream/endpoint';
import { endResponse, writeBody } from '../codec/downstream';
import type { Exchange } from '../http/exchange';

/** What the pipeline decides when an attempt ends; given once, not per request. */
export interface AttemptOutcomes {
  /** true = discard this response and retry once it has been read. */
  shouldRetryResponse(ex: Exchange, status: number, headers: IncomingHttpHeaders): boolean;
  respond(ex: Exchange, status: number, headers: IncomingHttpHeaders): void;
  retry(ex: Exchange): void;
  /** `transportFailure`: a TLS handshake's failure reason (Envoy's %UPSTREAM_TRANSPORT_FAILURE_REASON%). */
  failed(ex: Exchange, failure: AttemptFailure, transportFailure?: string): void;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL']);

function classify(err: Error & { code?: string; syscall?: string }): AttemptFailure {
  if (err instanceof UpstreamError && err.code === 'OVERFLOW') return 'overflow';
  if (err instanceof UpstreamError) return err.beforeConnect ? 'connect-failure' : 'reset';
  if (err.code !== undefined && CONNECT_ERRORS.has(err.code)) return 'connect-failure';
  if (err.syscall === 'connect') return 'connect-failure';
  return 'reset';
}

/**
 * One try of a request against one host, as an upstream pool's handler. Response bytes go straight
 * into the downstream response with backpressure; a response chosen for retry is read and dropped.
 */
export class UpstreamAttempt implements UpstreamHandler {
  private discard = false;
  private ended = false;
  private perTryTimer: NodeJS.Timeout | undefined;
  private perTryExpired = false;
  private grpcTrailersOnly: IncomingHttpHeaders | undefined;

  constructor(
    private readonly ex: Exchange,
    private readonly host: Endpoint,
    private readonly outcomes: AttemptOutcomes,
    perTryTimeoutMs: number,
  ) {
    host.active++;
    host.rqTotal++;
    if (perTryTimeoutMs > 0) this.perTryTimer = setTimeout(onPerTryTimeout, perTryTimeoutMs, this);
  }

  expirePerTry(): void {
    this.perTryExpired = true;
    this.ex.controller?.abort(new Error('per try timeout'));
    if (this.ex.controller === undefined) this.onResponseError(undefined, new Error('per try timeout'));
  }

  onRequestStart(controller: UpstreamController): void {
    if (this.ex.done || this.ended) {
      controller.abort(new Error('request already finished'));
      return;
    }
    this.ex.controller = controller;
  }

  onResponseStart(_c: UpstreamController, status: number, headers: IncomingHttpHeaders): void {
    if (this.ex.done || this.ended) return;
    // A gRPC "trailers-only" reply carries its status in the headers; HTTP/2 downstreams get it as
    // trailers too (Node's compatibility API always ends a response with a trailers frame).
    if (this.ex.http2 && headers['grpc-status'] !== undefined) this.grpcTrailersOnly = grpcStatusOf(headers);
    if (this.perTryTimer !== undefined) clearTimeout(this.perTryTimer);
    const cluster = this.ex.upstream;
    cluster.stats.recordResponse(status);
    cluster.recordHost(this.host, status < 500 ? 'success' : status >= 502 && status <= 504 ? 'gateway-failure' : 'error-5xx');
    if (this.outcomes.shouldRetryResponse(this.ex, status, headers)) this.discard = true;
    else this.outcomes.respond(this.ex, status, headers);
  }

  onResponseData(controller: UpstreamController, chunk: Buffer): void {
    if (this.discard || this.ex.done) return;
    this.ex.bytesSent += chunk.length;
    this.ex.grpcMessages?.response.inspect(chunk);
    if (!writeBody(this.ex.res, chunk)) {
      controller.pause();
      this.ex.res.once('drain', () => controller.resume());
    }
  }

  onResponseTrailers(_c: UpstreamController, trailers: IncomingHttpHeaders): void {
    if (!this.discard && !this.ex.done) this.ex.trailers = trailers;
  }

  onResponseEnd(): void {
    if (!this.end()) return;
    if (this.ex.done) return;
    if (this.discard) this.outcomes.retry(this.ex);
    else {
      endResponse(this.ex.res, this.ex.trailers ?? this.grpcTrailersOnly);
      this.ex.finish(this.ex.status);
    }
  }

  onResponseError(_c: UpstreamController | undefined, err: Error): void {
    if (!this.end()) return;
    const ex = this.ex;
    if (ex.done) return;
    if (ex.res.headersSent && !this.discard) {
      ex.addFlag('UR');
      ex.res.destroy();
      ex.finish(ex.status);
      return;
    }
    const failure: AttemptFailure = this.perTryExpired ? 'per-try-timeout' : classify(err);
    const cluster = ex.upstream;
    // The cluster's own breaker refused it: no host failed (no outlier or host error accounting).
    if (failure === 'overflow') return this.outcomes.failed(ex, failure);
    if (failure === 'connect-failure') {
      cluster.stats.upstream_cx_connect_fail++;
      cluster.stats.upstream_rq_pending_failure_eject++;
    } else if (failure === 'per-try-timeout') cluster.stats.upstream_rq_per_try_timeout++;
    else cluster.stats.upstream_rq_rx_reset++;
    this.host.rqError++;
    cluster.recordHost(this.host, 'gateway-failure');
    this.outcomes.failed(ex, failure, err instanceof UpstreamError ? err.transportFailureReason : undefined);
  }

  /** Runs once per attempt; false if it already ended. */
  private end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.host.active--;
    if (this.perTryTimer !== undefined) clearTimeout(this.perTryTimer);
    this.ex.controller = undefined;
    return true;
  }
}

function grpcStatusOf(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { 'grpc-status': headers['grpc-status'] };
  if (headers['grpc-message'] !== undefined) out['grpc-message'] = headers['grpc-message'];
  return out;
}

function onPerTryTimeout(attempt: UpstreamAttempt): void {
  attempt.expirePerTry();
}

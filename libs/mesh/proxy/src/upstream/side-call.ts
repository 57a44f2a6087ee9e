import type { IncomingHttpHeaders } from 'node:http';
import { ORIGINAL_DST_HEADER } from '../listener/chain-select';
import type { ProxyContext } from '../proxy-context';
import type { RequestHeaders, UpstreamController, UpstreamHandler } from './upstream-pool';

/**
 * One request the proxy makes on its own behalf to a cluster it has from CDS (Envoy's AsyncClient):
 * a host from the cluster's load balancer, its pool (HTTP/1.1 or HTTP/2, TLS as the endpoint's
 * transport socket says), the whole response collected, a deadline. Like a mirror, it bypasses the
 * route: no retries, no circuit-breaker admission.
 */

export interface SideResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** HTTP/2 trailers (gRPC's grpc-status), empty otherwise. */
  readonly trailers: IncomingHttpHeaders;
}

export interface SideRequest {
  readonly cluster: string;
  readonly method: string;
  readonly path: string;
  readonly headers: RequestHeaders;
  readonly body: Buffer | null;
  readonly timeoutMs: number;
}

/** Exactly one of the two is given, once. */
export type SideCallback = (res: SideResponse | undefined, failure: string | undefined) => void;

/** Handle to stop a call whose answer is no longer wanted (the downstream went away). */
export interface SideCall {
  cancel(): void;
}

class Collector implements UpstreamHandler {
  private controller: UpstreamController | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private trailers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private settled = false;

  constructor(
    private readonly done: SideCallback,
    timeoutMs: number,
  ) {
    if (timeoutMs > 0) this.timer = setTimeout(() => this.abort('timeout'), timeoutMs);
  }

  onRequestStart(controller: UpstreamController): void {
    this.controller = controller;
  }
  onResponseStart(_c: UpstreamController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.headers = headers;
  }
  onResponseData(_c: UpstreamController, chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
  }
  onResponseTrailers(_c: UpstreamController, trailers: IncomingHttpHeaders): void {
    this.trailers = trailers;
  }
  onResponseEnd(): void {
    this.settle({ status: this.status, headers: this.headers, body: Buffer.concat(this.chunks), trailers: this.trailers }, undefined);
  }
  onResponseError(_c: UpstreamController | undefined, err: Error): void {
    this.settle(undefined, err.message);
  }

  abort(reason: string): void {
    if (this.settled) return;
    this.settle(undefined, reason);
    this.controller?.abort(new Error(reason));
  }

  fail(reason: string): void {
    queueMicrotask(() => this.settle(undefined, reason));
  }

  private settle(res: SideResponse | undefined, failure: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.done(res, failure);
  }
}

export function sideCall(ctx: ProxyContext, req: SideRequest, done: SideCallback): SideCall {
  const collector = new Collector(done, req.timeoutMs);
  const cluster = ctx.clusters.get(req.cluster);
  const host = cluster?.pick(undefined, undefined, 1);
  if (cluster === undefined) collector.fail(`cluster ${req.cluster} not found`);
  else if (host === undefined) collector.fail(`no healthy upstream in ${req.cluster}`);
  else {
    // A mesh endpoint's sidecar picks its inbound chain by the port we meant (listener/chain-select.ts).
    const headers = cluster.config.type === 'EDS' ? { ...req.headers, [ORIGINAL_DST_HEADER]: host.address } : req.headers;
    try {
      host.dispatcher().dispatch({ method: req.method, path: req.path, headers, body: req.body }, collector);
    } catch (err) {
      collector.fail((err as Error).message);
    }
  }
  return { cancel: () => collector.abort('cancelled') };
}

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { type HeaderMap, applyEdits } from '../routing/header-mutation';
import type { CompiledForward, CompiledWeightedCluster } from '../routing/route-action';
import type { CompiledRoute } from '../routing/route-table';
import type { RequestView } from '../routing/request-view';
import type { Endpoint } from '../upstream/endpoint';
import type { UpstreamController } from '../upstream/upstream-pool';
import type { AlpnOverride } from '../upstream/alpn-pools';
import type { UpstreamCluster } from '../upstream/upstream-cluster';
import { type DownstreamRequest, type DownstreamResponse, isHttp2 } from '../codec/downstream';
import type { ListenerTarget, ProxyContext } from '../proxy-context';
import type { WorkloadInfo } from '../stats/workload';
import type { GrpcMessageCounts } from '../stats/grpc-messages';
import { UNROUTED } from './synthetic-routes';
import { writeAccessLogs } from '../access-log/compile';
import { ExchangeLogRecord } from '../access-log/http-record';
import type { ActiveSpan } from '../tracing/active-span';
import { setServerHeader } from './server-header';
import { finishTrace } from '../tracing/tracer';

/**
 * One request's state, from accept to the last byte: the request view route matching reads, what
 * was decided (route, cluster, host), timers, and the facts the access log and stats need.
 * Fields instead of closures keep the per-request allocation to this object and its headers.
 */
export class Exchange implements RequestView {
  method: string;
  authority = '';
  /** Host header value to send upstream (original spelling). */
  hostHeader = '';
  path = '/';
  queryStart = -1;
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
  /** Downstream codec is HTTP/2 (h2c): no connection-specific headers; trailers pass through. */
  readonly http2: boolean;
  /** Upstream trailers, sent downstream at the end (HTTP/2 only). */
  trailers: IncomingHttpHeaders | undefined;
  readonly startMs: number;
  readonly startHr: number;
  requestId: string | undefined;

  route: CompiledRoute = UNROUTED;
  /** Why no route was resolved (the router answers with it). */
  routeMiss: 'NO_ROUTE' | 'NO_ROUTE_CONFIG' | undefined;
  /** The HTTP filter decoding now (or that stopped the chain). */
  filterIndex = 0;
  /** False when the HCM answered before creating the filter chain (a missing Host): no filter's onComplete runs. */
  filterChain = true;
  weighted: CompiledWeightedCluster | undefined;
  /** Set once a cluster is chosen (stats, access log). */
  cluster: UpstreamCluster | undefined;
  // The upstream steps run only after forward() has set these two.
  forward!: CompiledForward;
  upstream!: UpstreamCluster;
  admitted = false;
  /** ORIGINAL_DST passthrough: the authority is the upstream host. */
  passthrough = false;
  host: Endpoint | undefined;
  triedHosts: Set<Endpoint> | undefined;
  retries = 0;
  retryActive = false;
  timeoutMs = 0;
  timer: NodeJS.Timeout | undefined;
  controller: UpstreamController | undefined;
  /** Set by istio.alpn: what this request's upstream TLS connection offers (alpn-pools.ts). */
  upstreamAlpn: AlpnOverride | undefined = undefined;
  upstreamHeaders: HeaderMap | undefined;
  /**
   * Envoy's dynamic metadata: per filter name (`envoy.filters.http.jwt_authn`, `envoy.filters.http.rbac`),
   * a struct filters write and later filters (RBAC metadata matchers, ext_authz filter_enabled_metadata)
   * and the access log read. Allocated on first write.
   */
  dynamicMetadata: Map<string, Record<string, unknown>> | undefined = undefined;
  /** Istio's peer metadata exchange (http/filters/peer-metadata.ts): the downstream's and the upstream's workloads. */
  downstreamPeer: WorkloadInfo | undefined = undefined;
  upstreamPeer: WorkloadInfo | undefined = undefined;
  /** The request carried x-envoy-peer-metadata (a mesh peer): the inbound answers with its own. */
  peerExchange = false;
  /** grpc-status of the response head (trailers-only); upstream trailers win (istio.stats). -1 = none. */
  grpcStatus = -1;
  /** gRPC requests through istio.stats: message counts of both bodies (stats/grpc-messages.ts); undefined otherwise. */
  grpcMessages: GrpcMessageCounts | undefined = undefined;
  upstreamPath = '/';
  body: Buffer | Readable | null = null;
  upstreamStartHr = 0;
  upstreamServiceTime = '';
  /** This request's span when it is sampled (tracing/tracer.ts); undefined otherwise. */
  span: ActiveSpan | undefined = undefined;

  flags = '';
  details = '';
  status = 0;
  bytesSent = 0;
  done = false;

  constructor(
    readonly ctx: ProxyContext,
    public target: ListenerTarget,
    readonly req: DownstreamRequest,
    readonly res: DownstreamResponse,
  ) {
    this.startMs = ctx.runtime.clock.now();
    this.startHr = ctx.runtime.clock.monotonic();
    this.method = req.method ?? 'GET';
    this.headers = req.headers;
    this.remoteAddress = req.socket.remoteAddress ?? '';
    this.http2 = isHttp2(req);
    res.once('close', this.onDownstreamClose);
  }

  /** Writes `key` into `filter`'s dynamic metadata struct. */
  setMetadata(filter: string, key: string, value: unknown): void {
    this.dynamicMetadata ??= new Map();
    let struct = this.dynamicMetadata.get(filter);
    if (struct === undefined) this.dynamicMetadata.set(filter, (struct = {}));
    struct[key] = value;
  }

  addFlag(flag: string): void {
    this.flags = this.flags === '' ? flag : `${this.flags},${flag}`;
  }

  /** Headers of a response the proxy makes itself. */
  localReplyHeaders(body: string): OutgoingHttpHeaders {
    const h: OutgoingHttpHeaders = {};
    setServerHeader(this.target.hcm.server, h);
    h['content-length'] = Buffer.byteLength(body);
    if (body !== '') h['content-type'] = 'text/plain';
    if (this.ctx.draining && !this.http2) h['connection'] = 'close';
    return h;
  }

  applyResponseEdits(headers: HeaderMap | OutgoingHttpHeaders): void {
    if (this.weighted !== undefined) applyEdits(this.weighted.edits.response, headers as HeaderMap);
    applyEdits(this.route.responseEdits, headers as HeaderMap);
  }

  /** Account for the request exactly once: timers, breaker, stats, access log. */
  finish(status: number): void {
    if (this.done) return;
    this.done = true;
    this.status = status;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.admitted) this.upstream.release();
    if (this.retryActive) this.upstream.activeRetries--;
    const ctx = this.ctx;
    ctx.traffic.record(this.target.hcm.statPrefix, status);
    const completers = this.filterChain ? this.target.hcm.completers : [];
    for (let i = 0; i < completers.length; i++) completers[i].onComplete?.(this);
    if (this.span !== undefined) finishTrace(this, this.span, status);
    // The HCM's access_log; without one, the proxy's default sink (--access-log) in Istio's TEXT format.
    const logs = this.target.hcm.accessLogs;
    if (logs.length > 0) writeAccessLogs(logs, new ExchangeLogRecord(this));
    else if (ctx.accessLog !== undefined) ctx.accessLog.log(new ExchangeLogRecord(this));
  }

  /** The client went away before we finished: stop the upstream work. */
  private readonly onDownstreamClose = (): void => {
    if (this.done) return;
    this.addFlag('DC');
    this.controller?.abort(new Error('downstream closed'));
    this.finish(this.status || 0);
  };

}

import type { HttpFilterRegistry } from './http/filter';
import { decode } from './http/filter';
import { extAuthzFilter } from './http/filters/ext-authz';
import { faultFilter } from './http/filters/fault';
import { istioAlpnFilter } from './http/filters/istio-alpn';
import { istioStatsFilter } from './http/filters/istio-stats';
import { peerMetadataFilter } from './http/filters/peer-metadata';
import { jwtAuthnFilter, jwtAuthnPerRoute } from './http/filters/jwt-authn';
import { localRateLimitFilter } from './http/filters/local-ratelimit';
import { rateLimitFilter } from './http/filters/ratelimit';
import { rbacFilter, rbacPerRouteFilter } from './http/filters/rbac';
import { routerFilter } from './http/filters/router';
import { readRequestTarget, requireHost, resolveRoute, stampRequestId } from './http/hcm';
import { startTrace } from './tracing/tracer';
import { selectFilterChain } from './listener/chain-select';
import type { DownstreamRequest, DownstreamResponse } from './codec/downstream';
import { Exchange } from './http/exchange';
import type { ListenerTarget, ProxyContext } from './proxy-context';

/*
 * The proxy, outermost layer first (cf. linkerd2-proxy's `push_http_server`). Read this file to know
 * where a request goes; each line names the file that does the work.
 *
 * Connection layers (per accepted socket)
 *   listener            listener/listener-manager.ts, listener/http-listener.ts   LDS → bound sockets; drain on removal
 *   codec               codec/codec-sniff.ts → codec/h1/ | node:http2            first bytes pick HTTP/1.1 or h2c (codec_type AUTO)
 *   tcp_proxy           listener/tcp-listener.ts → tcp/tcp-session.ts   a chain with no HCM: cluster (weighted),
 *                       max_connections, connect attempts, bytes both ways, half-close, idle_timeout
 * Request layers (serveHttp below)
 *   filter chain        listener/chain-select.ts    use_original_dst listeners pick the chain per request
 *   HTTP conn. manager  http/hcm.ts                 request target, required Host (400), x-request-id, route resolution (RDS)
 *   HTTP filters        http/filters/*.ts           `http_filters` in order, compiled by HTTP_FILTERS below
 *   router (last)       http/filters/router.ts      local answers, cluster pick, breaker, timeout, upstream head
 *   local replies       http/local-reply.ts         every response the proxy makes itself (status, flag, details)
 * Upstream layers
 *   attempts            router/upstream-forwarding.ts, router/upstream-attempt.ts   host pick, retries, mirrors
 *   cluster             upstream/upstream-cluster.ts (load balancer, outlier detection, circuit breaker)
 *   connection pool     upstream/h1/, upstream/h2/  keep-alive HTTP/1.1 or one HTTP/2 session per host; TLS hosts
 *                       one pool per offered ALPN (upstream/alpn-pools.ts) and, with auto_sni, per SNI (sni-pools.ts)
 * Accounting          http/exchange.ts (finish: stats, filters' onComplete, access log)
 *
 * The HTTP filters each listener runs come from its xDS config (Istio's, from libs/mesh/translate):
 *   gateway (0.0.0.0_8080 …)       fault → router
 *   sidecar outbound (0.0.0.0_9080) [istio.alpn] → fault → router     (istio.alpn: with mTLS on)
 *   sidecar inbound (virtualInbound) fault → router
 * and, as the security and telemetry work lands, in Istio's order:
 *   inbound:  [jwt_authn] → [istio_authn] → [rbac / ext_authz] → [local_ratelimit] → fault → [stats] → router
 *   outbound: istio.alpn → fault → [stats] → router;    gateway: [jwt_authn] → [rbac] → [local_ratelimit] → istio.alpn → fault → [stats] → router
 * Tracing is not a filter in Envoy: the HCM itself decides and starts the span once the route is known
 * (tracing/tracer.ts, below), the router injects its context upstream, Exchange.finish ends it.
 */

/** Every HTTP filter the proxy can run, by `typed_config` @type. Adding a filter = its file + one line here. */
export const HTTP_FILTERS: HttpFilterRegistry = new Map(
  [
    peerMetadataFilter, // istio.metadata_exchange: x-envoy-peer-metadata[-id] between mesh proxies (who the peer workload is)
    istioStatsFilter, // istio.stats: Istio's standard metrics (istio_requests_total, …) before the router
    istioAlpnFilter, // istio.alpn: upstream TLS offers istio-http/1.1 | istio-h2 for HTTP (the server's HTTP chain)
    rbacFilter, // envoy.filters.http.rbac: AuthorizationPolicy ALLOW/DENY/AUDIT (403 RBAC: access denied), shadow rules counted
    rbacPerRouteFilter, // its typed_per_filter_config (RBACPerRoute; no rbac = disabled on the route)
    jwtAuthnFilter, // envoy.filters.http.jwt_authn: RequestAuthentication, JWTs verified with the inlined JWKS (401 on a bad token)
    jwtAuthnPerRoute, // its typed_per_filter_config (PerRouteConfig: disabled | requirement_name)
    faultFilter, // envoy.filters.http.fault: VirtualService fault injection (delay, HTTP/gRPC abort)
    localRateLimitFilter, // envoy.filters.http.local_ratelimit: token bucket, 429 (Istio's rate-limit task)
    rateLimitFilter, // envoy.filters.http.ratelimit: global limits from the rate limit service (RLS gRPC), 429 x-envoy-ratelimited
    extAuthzFilter, // envoy.filters.http.ext_authz: CUSTOM AuthorizationPolicy, an HTTP or gRPC authorizer
    routerFilter, // envoy.filters.http.router: always last
  ].map((f) => [f.typeUrl, f]),
);

/** One HTTP request, from its head to the filters; each step that answers the request stops the walk. */
export function serveHttp(ctx: ProxyContext, target: ListenerTarget, req: DownstreamRequest, res: DownstreamResponse): void {
  const ex = new Exchange(ctx, target, req, res);
  readRequestTarget(ex);
  if (target.listener.useOriginalDst && target.pinned !== true && !selectFilterChain(ex)) return;
  if (!requireHost(ex)) return;
  stampRequestId(ex);
  resolveRoute(ex);
  const tracing = ex.target.hcm.tracing;
  if (tracing !== undefined) startTrace(ex, tracing);
  decode(ex);
}

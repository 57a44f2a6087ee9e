/**
 * A real grpc-js RateLimitService for the proxy's tests: decodes the proxy's hand-written
 * RateLimitRequest with protobufjs and answers OVER_LIMIT once a descriptor was seen more than
 * `limit` times ('hang' never answers, 'fail' answers UNAVAILABLE). Plus the proxy config around it.
 */
import * as grpc from '@grpc/grpc-js';
import { envoyGrpcService } from '@trellis/mesh-xds';
import { RATE_LIMIT_TYPE, type RateLimitFilter, type RouteRateLimit } from '@trellis/mesh-envoy';
import type { Cluster, Listener } from '../../../config/envoy-types';
import { KNOWN_TYPES } from '../../../config/proto';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../../testing/envoy-fixtures';
import { type TestProxy, startProxy } from '../../../testing/harness';

export const RLS_CLUSTER = 'rate_limit_cluster';

type Json = Record<string, unknown>;
export interface TestRls {
  readonly port: number;
  readonly seen: Json[];
  close(): Promise<void>;
}

const rlsService = (): grpc.ServiceDefinition => envoyGrpcService('envoy/service/ratelimit/v3/rls.proto', 'envoy.service.ratelimit.v3.RateLimitService');

export async function startTestRls(limit: number, mode: 'count' | 'hang' | 'fail' = 'count'): Promise<TestRls> {
  const seen: Json[] = [];
  const hits = new Map<string, number>();
  const server = new grpc.Server();
  server.addService(rlsService(), {
    ShouldRateLimit: (call: grpc.ServerUnaryCall<Json, Json>, cb: grpc.sendUnaryData<Json>) => {
      seen.push(call.request);
      if (mode === 'hang') return;
      if (mode === 'fail') return cb({ code: grpc.status.UNAVAILABLE, details: 'redis down' });
      const keys = (call.request.descriptors as { entries: { key: string; value: string }[] }[]).map((d) => JSON.stringify(d.entries));
      const over = keys.some((k) => {
        const n = (hits.get(k) ?? 0) + 1;
        hits.set(k, n);
        return n > limit;
      });
      cb(null, { overall_code: over ? 'OVER_LIMIT' : 'OK', response_headers_to_add: over ? [] : [{ key: 'x-ratelimit-remaining', value: 'some' }] });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, seen, close: async () => server.forceShutdown() };
}

export type RateLimitConfig = Omit<RateLimitFilter, '@type'>;

/** Istio's filter-ratelimit: domain, failure_mode_deny, the RLS cluster over envoy_grpc. */
export const ISTIO_RATE_LIMIT: RateLimitConfig = {
  domain: 'productpage-ratelimit',
  failure_mode_deny: true,
  timeout: '10s' as never,
  rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: RLS_CLUSTER } }, transport_api_version: 'V3' },
};

/** Listener 0.0.0.0_9080: ratelimit(config) → router, one vhost with `limits`, routes to productpage. */
export function rateLimitListener(config: RateLimitConfig, limits: RouteRateLimit[], routeLimits?: RouteRateLimit[]): Listener {
  const r = route({ prefix: '/' }, { cluster: svc('productpage'), ...(routeLimits !== undefined ? { rate_limits: routeLimits } : {}) });
  const l = httpListener('0.0.0.0_9080', 9080, routeConfig('9080', [vhost('productpage', ['*'], [r], { rate_limits: limits })]));
  const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
  hcm.http_filters = [
    { name: 'envoy.filters.http.ratelimit', typed_config: { '@type': RATE_LIMIT_TYPE, ...config } },
    { name: 'envoy.filters.http.router', typed_config: { '@type': KNOWN_TYPES.router } },
  ];
  return l;
}

/** The proxy in front of the app, the RLS cluster as Istio's EnvoyFilter adds it (STRICT_DNS, http2_protocol_options). */
export function startRateLimitProxy(appPort: number, rlsPort: number, config: RateLimitConfig, limits: RouteRateLimit[], routeLimits?: RouteRateLimit[]): Promise<TestProxy> {
  const rls = {
    name: RLS_CLUSTER,
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    lb_policy: 'ROUND_ROBIN',
    http2_protocol_options: {},
    load_assignment: { cluster_name: RLS_CLUSTER, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: rlsPort } } } }] }] },
  } as unknown as Cluster;
  return startProxy({
    clusters: [edsCluster(svc('productpage')), rls],
    endpoints: [assignment(svc('productpage'), [{ port: appPort }])],
    listeners: [rateLimitListener(config, limits, routeLimits)],
  });
}

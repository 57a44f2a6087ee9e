/**
 * Zipkin v2 JSON as Envoy/Istio proxies send it: B3 ids, a 128-bit trace id, client spans and the server
 * side sharing their id (`shared: true`). Times are epoch microseconds relative to `startUs`.
 */
export interface JsonSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: string;
  timestamp?: number;
  duration?: number;
  shared?: boolean;
  localEndpoint?: { serviceName?: string; ipv4?: string; port?: number };
  remoteEndpoint?: { serviceName?: string; ipv4?: string; port?: number };
  annotations?: { timestamp: number; value: string }[];
  tags?: Record<string, string>;
}

export const BOOKINFO_TRACE_ID = '463ac35c9f6413ad48485a3953bb6124';

export function hexId(n: number): string {
  return n.toString(16).padStart(16, '0');
}

function rpc(traceId: string, id: string, parentId: string | undefined, from: string, to: string, name: string, at: number, dur: number): JsonSpan[] {
  const client: JsonSpan = {
    traceId, id, name, kind: 'CLIENT', timestamp: at, duration: dur,
    localEndpoint: { serviceName: from, ipv4: '10.0.0.1' },
    remoteEndpoint: { serviceName: to, ipv4: '10.0.0.2', port: 9080 },
    tags: { 'http.method': 'GET', 'http.status_code': '200', 'upstream_cluster': `outbound|9080||${to}.default.svc.cluster.local` },
  };
  if (parentId !== undefined) client.parentId = parentId;
  const server: JsonSpan = {
    traceId, id, name, kind: 'SERVER', shared: true, timestamp: at + 100, duration: dur - 200,
    localEndpoint: { serviceName: to, ipv4: '10.0.0.2', port: 9080 },
    tags: { 'http.method': 'GET', 'http.status_code': '200', 'istio.canonical_service': to },
  };
  if (parentId !== undefined) server.parentId = parentId;
  return [client, server];
}

/** gateway → productpage → details, reviews → ratings: 9 spans, root `productpage.default.svc.cluster.local:9080/productpage`. */
export function bookinfoTrace(startUs: number, traceId = BOOKINFO_TRACE_ID, error = false): JsonSpan[] {
  const root: JsonSpan = {
    traceId, id: 'a1b2c3d4e5f60001', name: 'productpage.default.svc.cluster.local:9080/productpage', kind: 'SERVER',
    timestamp: startUs, duration: 40_000,
    localEndpoint: { serviceName: 'istio-ingressgateway.istio-system', ipv4: '10.0.0.9' },
    tags: { 'http.url': 'http://bookinfo/productpage', 'http.status_code': error ? '500' : '200', ...(error ? { error: 'true' } : {}) },
  };
  return [
    root,
    ...rpc(traceId, 'a1b2c3d4e5f60002', root.id, 'istio-ingressgateway.istio-system', 'productpage.default', 'productpage.default.svc.cluster.local:9080/*', startUs + 500, 38_000),
    ...rpc(traceId, 'a1b2c3d4e5f60003', 'a1b2c3d4e5f60002', 'productpage.default', 'details.default', 'details.default.svc.cluster.local:9080/*', startUs + 2_000, 5_000),
    ...rpc(traceId, 'a1b2c3d4e5f60004', 'a1b2c3d4e5f60002', 'productpage.default', 'reviews.default', 'reviews.default.svc.cluster.local:9080/*', startUs + 8_000, 25_000),
    ...rpc(traceId, 'a1b2c3d4e5f60005', 'a1b2c3d4e5f60004', 'reviews.default', 'ratings.default', 'ratings.default.svc.cluster.local:9080/*', startUs + 12_000, 6_000),
  ];
}

/** A one-span trace of `service` (64-bit B3 trace id `n`), `durationUs` long, starting at `startUs`. */
export function singleSpan(n: number, service: string, startUs: number, durationUs = 1_000, extra: Partial<JsonSpan> = {}): JsonSpan {
  return {
    traceId: hexId(n), id: hexId(n), name: `get /${service}`, kind: 'SERVER', timestamp: startUs, duration: durationUs,
    localEndpoint: { serviceName: service }, ...extra,
  };
}

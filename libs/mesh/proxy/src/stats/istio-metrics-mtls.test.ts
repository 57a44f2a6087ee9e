import { ISTIO_STATS_TYPE, TCP_PROXY_TYPE, UDPA_TYPED_STRUCT_TYPE } from '@trellis/mesh-envoy';
import type { FilterChain, Listener } from '../config/envoy-types';
import type { ProxyNode } from '../proxy-node';
import { type TestProxy, send, startProxy } from '../testing/harness';
import { inboundChains, inboundCluster, inboundListener, meshAssignment, outboundMtlsCluster } from '../testing/istio-mtls';
import { type MeshPki, meshPki, spiffe } from '../testing/mesh-pki';
import { type Apps, ECHO, REVIEWS, cluster, startApps, tcpRoundTrip } from '../testing/mesh-sidecars';
import { httpListener, route, routeConfig, vhost } from '../testing/envoy-fixtures';

/**
 * Istio's standard metrics between two real sidecars over mTLS: istio.metadata_exchange tells each
 * side the other's workload, istio.stats records with istio_stats' labels; scraped from /stats/prometheus.
 */

const node = (pod: string, app: string, version: string, sa: string): ProxyNode => ({
  id: `sidecar~127.0.0.1~${pod}.default~default.svc.cluster.local`,
  cluster: `${app}.default`,
  name: pod,
  namespace: 'default',
  labels: { app, version },
  serviceAccount: sa,
  clusterId: 'Kubernetes',
  instanceIp: '127.0.0.1',
});
const PRODUCTPAGE = node('productpage-v1-6b746f74dc-9stvs', 'productpage', 'v1', 'bookinfo-productpage');
const REVIEWS_V3 = node('reviews-v3-5b9bd44f4-2xq7z', 'reviews', 'v3', 'bookinfo-reviews');

const mx = (inbound: boolean): object => ({
  name: 'istio.metadata_exchange',
  typed_config: {
    '@type': UDPA_TYPED_STRUCT_TYPE,
    type_url: 'type.googleapis.com/io.istio.http.peer_metadata.Config',
    value: inbound ? { downstream_discovery: [{ istio_headers: {} }], downstream_propagation: [{ istio_headers: {} }] } : { upstream_discovery: [{ istio_headers: {} }], upstream_propagation: [{ istio_headers: {} }] },
  },
});
const stats = (inbound: boolean): { name: string; typed_config: object } => ({ name: 'istio.stats', typed_config: { '@type': ISTIO_STATS_TYPE, ...(inbound && { disable_host_header_fallback: true }) } });

/** istiod's placement: MX first, stats before the router; stats before tcp_proxy. */
function withTelemetry(chains: readonly FilterChain[], inbound: boolean): FilterChain[] {
  return chains.map((c) => {
    const [terminal] = c.filters ?? [];
    if (terminal?.typed_config?.['@type'] === TCP_PROXY_TYPE) return { ...c, filters: [stats(inbound), terminal] } as FilterChain;
    const hcm = terminal?.typed_config as { http_filters?: object[] };
    const filters = hcm.http_filters ?? [];
    return { ...c, filters: [{ ...terminal, typed_config: { ...hcm, http_filters: [mx(inbound), ...filters.slice(0, -1), stats(inbound), ...filters.slice(-1)] } }] } as FilterChain;
  });
}

async function startServer(apps: Apps, pki: MeshPki): Promise<TestProxy> {
  const listener = (port: number, p: 'http' | 'tcp'): Listener => inboundListener(`127.0.0.1_${port}`, port, withTelemetry(inboundChains(port, 'STRICT', p), true));
  return startProxy(
    { clusters: [inboundCluster(9080, apps.http.port), inboundCluster(9000, apps.tcpPort)], listeners: [listener(9080, 'http'), listener(9000, 'tcp')] },
    { secrets: pki.store('bookinfo-reviews'), node: REVIEWS_V3 },
  );
}

async function startClient(server: TestProxy, pki: MeshPki): Promise<TestProxy> {
  const sans = [spiffe('bookinfo-reviews')];
  const http = httpListener('0.0.0.0_9080', 9080, '9080');
  const tcp: Listener = { name: '127.0.0.1_9000', address: { socket_address: { address: '127.0.0.1', port_value: 9000 } }, filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: 'echo', cluster: cluster(9000, ECHO) } }] }] };
  return startProxy(
    {
      clusters: [outboundMtlsCluster(cluster(9080, REVIEWS), 9080, REVIEWS, { sans, auto: true }), outboundMtlsCluster(cluster(9000, ECHO), 9000, ECHO, { sans, auto: true })],
      endpoints: [9080, 9000].map((p) => meshAssignment(cluster(p, p === 9080 ? REVIEWS : ECHO), [{ port: server.port(`127.0.0.1_${p}`), sidecar: true }])),
      listeners: [{ ...http, filter_chains: withTelemetry(http.filter_chains ?? [], false) }, { ...tcp, filter_chains: withTelemetry(tcp.filter_chains ?? [], false) }],
      routes: [routeConfig('9080', [vhost('reviews', ['reviews:9080'], [route({ prefix: '/' }, { cluster: cluster(9080, REVIEWS) })])])],
    },
    { secrets: pki.store('bookinfo-productpage'), node: PRODUCTPAGE },
  );
}

async function scrape(p: TestProxy): Promise<string> {
  const prom = await p.proxy.startPrometheus({ host: '127.0.0.1', port: 0 });
  return (await send(prom.port, { path: '/stats/prometheus' })).body;
}

const line = (text: string, prefix: string): string | undefined => text.split('\n').find((l) => l.startsWith(prefix));

describe('standard metrics between two sidecars over mTLS', () => {
  let pki: MeshPki;
  let apps: Apps;
  let server: TestProxy;
  let client: TestProxy;
  beforeAll(async () => {
    pki = meshPki();
    apps = await startApps();
    server = await startServer(apps, pki);
    client = await startClient(server, pki);
  });
  afterAll(async () => {
    await client.proxy.close();
    await server.proxy.close();
    await apps.close();
  });

  it('HTTP: the destination reports the source workload and mutual_tls; the source learns the destination workload; the app never sees the MX headers', async () => {
    const N = 4;
    for (let i = 0; i < N; i++) {
      const r = await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080', path: '/reviews/0' });
      expect(r.status).toBe(200);
      expect(r.headers['x-envoy-peer-metadata']).toBeUndefined();
    }
    expect(apps.http.seen.length).toBeGreaterThanOrEqual(N);
    expect(apps.http.seen.every((q) => q.headers['x-envoy-peer-metadata'] === undefined && q.headers['x-envoy-peer-metadata-id'] === undefined)).toBe(true);
    const dest = await scrape(server);
    expect(line(dest, 'istio_requests_total{')).toBe(
      'istio_requests_total{reporter="destination",source_workload="productpage-v1",source_canonical_service="productpage",source_canonical_revision="v1",' +
        `source_workload_namespace="default",source_principal="${spiffe('bookinfo-productpage')}",source_app="productpage",source_version="v1",source_cluster="Kubernetes",` +
        `destination_workload="reviews-v3",destination_workload_namespace="default",destination_principal="${spiffe('bookinfo-reviews')}",destination_app="reviews",destination_version="v3",` +
        'destination_service="reviews",destination_canonical_service="reviews",destination_canonical_revision="v3",destination_service_name="reviews",destination_service_namespace="default",' +
        `destination_cluster="Kubernetes",request_protocol="http",response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="mutual_tls"} ${N}`,
    );
    expect(dest).toMatch(/istio_request_duration_milliseconds_bucket\{reporter="destination",.*le="\+Inf"\} 4\n/);
    const src = await scrape(client);
    const s = line(src, 'istio_requests_total{');
    expect(s).toContain('reporter="source",source_workload="productpage-v1",');
    expect(s).toContain('destination_workload="reviews-v3",destination_workload_namespace="default",');
    expect(s).toContain(`destination_service="${REVIEWS}",destination_canonical_service="reviews",destination_canonical_revision="v3",destination_service_name="reviews"`);
    expect(s).toMatch(/response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="unknown"\} 4$/);
  });

  it('TCP: opened/closed and bytes both ways through tcp_proxy chains, the destination with the peer principal', async () => {
    expect(await tcpRoundTrip(client.port('127.0.0.1_9000'), 'ping-pong')).toBe('ping-pong');
    await new Promise((r) => setTimeout(r, 50));
    const dest = await scrape(server);
    const opened = line(dest, 'istio_tcp_connections_opened_total{');
    expect(opened).toContain(`reporter="destination",source_workload="unknown",`);
    expect(opened).toContain(`source_principal="${spiffe('bookinfo-productpage')}"`);
    expect(opened).toMatch(/request_protocol="tcp",response_flags="-",connection_security_policy="mutual_tls"\} 1$/);
    expect(line(dest, 'istio_tcp_received_bytes_total{')).toMatch(/\} 9$/);
    expect(line(dest, 'istio_tcp_sent_bytes_total{')).toMatch(/\} 9$/);
    expect(line(dest, 'istio_tcp_connections_closed_total{')).toMatch(/\} 1$/);
    const src = await scrape(client);
    expect(line(src, 'istio_tcp_connections_opened_total{')).toContain(`reporter="source",source_workload="productpage-v1",`);
    expect(line(src, 'istio_tcp_connections_opened_total{')).toContain(`destination_service="${ECHO}"`);
  });
});

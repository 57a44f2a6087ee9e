import type { Cluster } from '../config/envoy-types';
import { type TestProxy, send, startProxy } from '../testing/harness';
import { httpListener, route, routeConfig, vhost } from '../testing/envoy-fixtures';
import { inboundCluster, meshAssignment } from '../testing/istio-mtls';
import { type MeshPki, meshPki } from '../testing/mesh-pki';
import { type Apps, h2Call, startApps } from '../testing/mesh-sidecars';
import { exchangeCluster, exchangeServerListener, podNode, scrapeProxy } from '../testing/mesh-exchange';
import { counter } from '../http/filters/ext-authz/test-authorizers';

/**
 * Forwarded requests over a cluster with the upstream exchange whose connection negotiates
 * `istio-peer-exchange` (no istio.alpn filter in the HCM, so the cluster's ALPN is offered and the
 * server's TCP chain answers): HTTP/1.1 and HTTP/2 pools write and strip the exchange exactly as the
 * proxy's own calls do (exchange-socket.ts), and a failed handshake under the exchange layer is still
 * a connect failure with Envoy's transport failure reason.
 */

const ECHO = 'reviews.default.svc.cluster.local';
const GRPC = 'grpc.default.svc.cluster.local';
const BAD = 'elsewhere.default.svc.cluster.local';
const c = (port: number, host: string): string => `outbound|${port}||${host}`;

/** Client clusters: [name, server port, http2, expected server identity]. */
const CLUSTERS: readonly [string, number, boolean, string][] = [
  [c(9080, ECHO), 9080, false, 'reviews'],
  [c(9090, GRPC), 9090, true, 'reviews'],
  [c(9080, BAD), 9080, false, 'someone-else'],
  [c(9090, BAD), 9090, true, 'someone-else'],
];

describe('upstream connections carrying the metadata exchange (forwarded requests, no istio.alpn)', () => {
  let pki: MeshPki;
  let apps: Apps;
  let server: TestProxy;
  let client: TestProxy;
  beforeAll(async () => {
    pki = meshPki();
    apps = await startApps();
    server = await startProxy(
      { clusters: [inboundCluster(9080, apps.http.port), inboundCluster(9090, apps.grpcPort, true)], listeners: [exchangeServerListener(9080, 'STRICT'), exchangeServerListener(9090, 'STRICT')] },
      { secrets: pki.store('reviews'), node: podNode('reviews-v1-545db77b95-2ps7q', 'reviews') },
    );
    const clusters: Cluster[] = CLUSTERS.map(([name, port, h2, sa]) => exchangeCluster(name, port, name.split('||')[1]!, sa, h2));
    const vhosts = CLUSTERS.map(([name]) => vhost(name, [name.split('|')[1] === '9080' ? name.split('||')[1]! : `${name.split('||')[1]!}:9090`], [route({ prefix: '/' }, { cluster: name })]));
    client = await startProxy(
      {
        clusters,
        endpoints: CLUSTERS.map(([name, port]) => meshAssignment(name, [{ port: server.port(`127.0.0.1_${port}`), sidecar: true }])),
        listeners: [httpListener('0.0.0.0_9080', 9080, routeConfig('9080', vhosts))],
      },
      { secrets: pki.store('productpage'), node: podNode('productpage-v1-6b746f74dc-9stvs', 'productpage') },
    );
  });
  afterAll(async () => {
    await client.proxy.close();
    await server.proxy.close();
    await apps.close();
  });

  it('HTTP/1.1: bodies intact both ways over kept-alive connections; the server names the caller', async () => {
    const body = 'x'.repeat(70_000);
    for (let i = 0; i < 3; i++) {
      const r = await send(client.port('0.0.0.0_9080'), { method: 'POST', host: ECHO, path: `/echo/${i}`, body: `${i}${body}` });
      expect(r.status).toBe(200);
      expect(r.json<{ body: string }>().body).toBe(`${i}${body}`);
    }
    expect(apps.http.seen.map((s) => s.url)).toEqual(['/echo/0', '/echo/1', '/echo/2']);
    const opened = (await scrapeProxy(server)).split('\n').filter((l) => l.startsWith('istio_tcp_connections_opened_total{'));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toContain('source_workload="productpage-v1",source_canonical_service="productpage"');
    expect(opened[0]).toMatch(/\} 1$/); // one upstream connection carried the three requests
  });

  it('HTTP/2: a gRPC call through the h2 pool gets its trailers', async () => {
    const r = await h2Call(client.port('0.0.0.0_9080'), `${GRPC}:9090`);
    expect([r.status, r.trailers['grpc-status']]).toEqual([200, '0']);
    expect(await counter(client, 'metadata_exchange.alpn_protocol_found')).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['HTTP/1.1', BAD, 9080],
    ['HTTP/2', `${BAD}:9090`, 9090],
  ])('%s: a SAN mismatch under the exchange layer is a 503 connect failure with the transport failure reason', async (_p, host, port) => {
    const r = await send(client.port('0.0.0.0_9080'), { host, path: '/' });
    expect(r.status).toBe(503);
    expect(r.body).toContain('reset reason: connection failure, transport failure reason: TLS_error:');
    expect(await counter(client, `cluster.${c(port, BAD)}.ssl.fail_verify_san`)).toBe(1);
  });
});

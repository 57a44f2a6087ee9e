import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import type { Cluster, FilterChain, Listener } from '../config/envoy-types';
import type { ProxyNode } from '../proxy-node';
import { type TestProxy, startProxy } from '../testing/harness';
import { inboundChains, inboundCluster, inboundListener, inboundTls, meshAssignment, outboundMtlsCluster } from '../testing/istio-mtls';
import { type MeshPki, meshPki, spiffe } from '../testing/mesh-pki';
import { ECHO, cluster, tcpRoundTrip } from '../testing/mesh-sidecars';
import { MX_FILTER as MX, STATS_FILTER as STATS, scrapeProxy as scrape } from '../testing/mesh-exchange';

/**
 * istio-peer-exchange between two real sidecars over mTLS (istiod's shapes: the downstream exchange
 * first on the server's TCP chain, the upstream one in the client's Cluster.filters): each side's TCP
 * metrics name the other's workload, and the app sees exactly its own bytes.
 */

const node = (pod: string, app: string, version: string): ProxyNode => ({
  id: `sidecar~127.0.0.1~${pod}.default~default.svc.cluster.local`,
  cluster: `${app}.default`,
  name: pod,
  namespace: 'default',
  labels: { app, version },
  serviceAccount: `bookinfo-${app}`,
  clusterId: 'Kubernetes',
  instanceIp: '127.0.0.1',
});
const RATINGS = node('ratings-v2-mysql-7f9c8b6d5-x2k4p', 'ratings', 'v2-mysql');
const MYSQLDB = node('mysqldb-v1-5b9bd44f4-2xq7z', 'mysqldb', 'v1');
const GREETER = 'greeter.default.svc.cluster.local';


/** Apps: a TCP echo, and a server-first one (as MySQL's greeting) that says `hello\n` and then echoes. */
async function startApps(): Promise<{ echo: number; greeter: number; seen: Buffer[]; close: () => Promise<void> }> {
  const seen: Buffer[] = [];
  const serve = (greet: boolean): Server =>
    createServer({ allowHalfOpen: true }, (s) => {
      if (greet) s.write('hello\n');
      s.on('data', (d: Buffer) => (seen.push(d), s.write(d)));
      s.on('end', () => s.end());
      s.on('error', () => undefined);
    });
  const servers = [serve(false), serve(true)];
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  const [echo, greeter] = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
  return { echo, greeter, seen, close: async () => void (await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))) };
}

/** Server chains: STRICT TCP with MX + stats first; port 9001's TLS offers `istio` only (no exchange). */
function serverListener(port: number, exchange: boolean): Listener {
  const chains = inboundChains(port, 'STRICT', 'tcp').map((c) => ({
    ...c,
    filters: [MX, STATS, ...(c.filters ?? [])],
    ...(exchange ? {} : { transport_socket: inboundTls(['istio', 'h2']) }),
  })) as FilterChain[];
  return inboundListener(`127.0.0.1_${port}`, port, chains);
}

function clientCluster(port: number, host: string): Cluster {
  return { ...outboundMtlsCluster(cluster(port, host), port, host, { sans: [spiffe('bookinfo-mysqldb')], auto: true }), filters: [MX] } as Cluster;
}

function clientListener(port: number, host: string): Listener {
  const tcp = { name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: host, cluster: cluster(port, host) } };
  return { name: `127.0.0.1_${port}`, address: { socket_address: { address: '127.0.0.1', port_value: 0 } }, filter_chains: [{ filters: [STATS, tcp] }] } as Listener;
}

const lines = (text: string, prefix: string): string[] => text.split('\n').filter((l) => l.startsWith(prefix));

/** Connects, reads `expect` bytes, writes `text`, reads its echo, half-closes; resolves with all it got. */
function converse(port: number, text: string, greeting: string): Promise<string> {
  return new Promise((resolve) => {
    const s: Socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got === greeting) s.end(text);
    });
    s.on('end', () => s.end());
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
  });
}

describe('TCP metadata exchange (istio-peer-exchange) between two sidecars over mTLS', () => {
  let pki: MeshPki;
  let apps: Awaited<ReturnType<typeof startApps>>;
  let server: TestProxy;
  let client: TestProxy;
  beforeAll(async () => {
    pki = meshPki();
    apps = await startApps();
    server = await startProxy(
      { clusters: [inboundCluster(9000, apps.echo), inboundCluster(9001, apps.echo), inboundCluster(3306, apps.greeter)], listeners: [serverListener(9000, true), serverListener(9001, false), serverListener(3306, true)] },
      { secrets: pki.store('bookinfo-mysqldb'), node: MYSQLDB },
    );
    const ports: [number, string][] = [[9000, ECHO], [9001, 'nomx.default.svc.cluster.local'], [3306, GREETER]];
    client = await startProxy(
      {
        clusters: ports.map(([p, h]) => clientCluster(p, h)),
        endpoints: ports.map(([p, h]) => meshAssignment(cluster(p, h), [{ port: server.port(`127.0.0.1_${p}`), sidecar: true }])),
        listeners: ports.map(([p, h]) => clientListener(p, h)),
      },
      { secrets: pki.store('bookinfo-ratings'), node: RATINGS },
    );
  });
  afterAll(async () => {
    await client.proxy.close();
    await server.proxy.close();
    await apps.close();
  });

  it('client-first: both sides learn the peer workload; the echo is exactly the bytes sent', async () => {
    const payload = 'x'.repeat(70_000);
    for (let i = 0; i < 3; i++) expect(await tcpRoundTrip(client.port('127.0.0.1_9000'), `${i}:${payload}`)).toBe(`${i}:${payload}`);
    expect(Buffer.concat(apps.seen).toString()).toBe([0, 1, 2].map((i) => `${i}:${payload}`).join(''));
    await new Promise((r) => setTimeout(r, 50));
    const dest = lines(await scrape(server), 'istio_tcp_connections_opened_total{');
    expect(dest).toHaveLength(1);
    expect(dest[0]).toContain('reporter="destination",source_workload="ratings-v2-mysql",source_canonical_service="ratings",source_canonical_revision="v2-mysql",source_workload_namespace="default",');
    expect(dest[0]).toContain(`source_principal="${spiffe('bookinfo-ratings')}",source_app="ratings",source_version="v2-mysql",source_cluster="Kubernetes",destination_workload="mysqldb-v1",`);
    expect(dest[0]).toMatch(/connection_security_policy="mutual_tls"\} 3$/);
    const src = await scrape(client);
    const opened = lines(src, 'istio_tcp_connections_opened_total{').filter((l) => l.includes(`destination_service="${ECHO}"`));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toContain('reporter="source",source_workload="ratings-v2-mysql",');
    expect(opened[0]).toContain('destination_workload="mysqldb-v1",destination_workload_namespace="default",');
    expect(opened[0]).toContain('destination_app="mysqldb",destination_version="v1",');
    expect(opened[0]).toMatch(/\} 3$/);
    const sent = lines(src, 'istio_tcp_sent_bytes_total{').find((l) => l.includes(`destination_service="${ECHO}"`));
    expect(sent).toMatch(new RegExp(`\\} ${3 * (payload.length + 2)}$`));
    expect(lines(src, 'envoy_metadata_exchange_alpn_protocol_found')[0]).toMatch(/ [1-9]\d*$/);
  });

  it('server-first (MySQL-like greeting): the greeting arrives without the header, the peers are still exchanged', async () => {
    expect(await converse(client.port('127.0.0.1_3306'), 'SELECT 1', 'hello\n')).toBe('hello\nSELECT 1');
    await new Promise((r) => setTimeout(r, 50));
    // The server's rows do not name the port: the echo's three connections and this one share a series.
    const dest = lines(await scrape(server), 'istio_tcp_connections_opened_total{');
    expect(dest).toHaveLength(1);
    expect(dest[0]).toContain('source_workload="ratings-v2-mysql"');
    expect(dest[0]).toMatch(/\} 4$/);
    const src = lines(await scrape(client), 'istio_tcp_connections_opened_total{').find((l) => l.includes(`destination_service="${GREETER}"`));
    expect(src).toContain('destination_workload="mysqldb-v1"');
  });

  it('another ALPN (the server offers `istio`): no exchange, bytes intact, workloads unknown', async () => {
    expect(await tcpRoundTrip(client.port('127.0.0.1_9001'), 'no-exchange')).toBe('no-exchange');
    await new Promise((r) => setTimeout(r, 50));
    const dest = lines(await scrape(server), 'istio_tcp_connections_opened_total{').find((l) => l.includes('source_workload="unknown"'));
    expect(dest).toContain('reporter="destination",source_workload="unknown",');
    expect(dest).toContain(`source_principal="${spiffe('bookinfo-ratings')}"`);
    expect(dest).toMatch(/\} 1$/);
    const src = lines(await scrape(client), 'istio_tcp_connections_opened_total{').find((l) => l.includes('nomx.default'));
    expect(src).toContain('destination_workload="unknown"');
  });

  it('NACKs an unknown upstream network filter, an exchange without protocol, after tcp_proxy or before an HCM; the last good config keeps serving', () => {
    expect(() => client.proxy.apply('CDS', [{ ...clientCluster(9000, ECHO), filters: [{ name: 'x', typed_config: { '@type': 'type.googleapis.com/x.Y' } }] }])).toThrow(
      `cluster ${cluster(9000, ECHO)}: unknown upstream network filter filters[0] x typed_config type.googleapis.com/x.Y`,
    );
    const noProtocol = { ...MX, typed_config: { ...MX.typed_config, value: {} } };
    expect(() => client.proxy.apply('CDS', [{ ...clientCluster(9000, ECHO), filters: [noProtocol] } as Cluster])).toThrow('filters[0] istio.metadata_exchange: metadata_exchange protocol is required');
    const listener = (filters: object[]): Listener => ({ ...serverListener(9000, true), filter_chains: [{ filters } as FilterChain] });
    const tcp = { name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: 'x', cluster: 'inbound|9000||' } };
    expect(() => server.proxy.apply('LDS', [listener([tcp, MX])])).toThrow('network filter istio.metadata_exchange after the terminal filter');
    const hcm = { name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager' } };
    expect(() => server.proxy.apply('LDS', [listener([MX, hcm])])).toThrow('supported before tcp_proxy only');
  });

  it('after the NACKs the exchange still works', async () => {
    expect(await tcpRoundTrip(client.port('127.0.0.1_9000'), 'still')).toBe('still');
  });
});

/** Two sidecars wired as a mesh for mTLS tests: a client sidecar's outbound clusters point at a server sidecar's inbound listeners. */
import * as http2 from 'node:http2';
import { type AddressInfo, type Server, connect, createServer } from 'node:net';
import { TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import type { Cluster, FilterChain, Listener } from '../config/envoy-types';
import type { SecretProvider } from '../sds/secret-provider';
import { httpListener, route, routeConfig, vhost } from './envoy-fixtures';
import { type TestProxy, type Upstream, echo, startProxy, startUpstream } from './harness';
import { inboundChains, inboundCluster, inboundListener, meshAssignment, outboundMtlsCluster } from './istio-mtls';
import { spiffe } from './mesh-pki';

export const REVIEWS = 'reviews.default.svc.cluster.local';
export const GRPC = 'grpc.default.svc.cluster.local';
export const ECHO = 'tcp-echo.default.svc.cluster.local';
export const cluster = (port: number, host: string): string => `outbound|${port}||${host}`;

/** The apps behind the server sidecar: HTTP echo (9080), h2c gRPC-like (9090), TCP echo (9000). */
export interface Apps {
  readonly http: Upstream;
  readonly grpcPort: number;
  readonly tcpPort: number;
  close(): Promise<void>;
}

export async function startApps(): Promise<Apps> {
  // Records the connection's source address as x-seen-remote (upstream_bind_config checks).
  const http = await startUpstream('reviews', (req, res, name) => {
    req.headers['x-seen-remote'] = req.socket.remoteAddress;
    echo(req, res, name);
  });
  const h2 = http2.createServer();
  h2.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-xfcc': String(headers['x-forwarded-client-cert'] ?? '') }));
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
  const tcp: Server = createServer({ allowHalfOpen: true }, (s) => {
    s.on('data', (d: Buffer) => s.write(d));
    s.on('end', () => s.end());
    s.on('error', () => undefined);
  });
  await Promise.all([new Promise<void>((r) => h2.listen(0, '127.0.0.1', r)), new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r))]);
  return {
    http,
    grpcPort: (h2.address() as AddressInfo).port,
    tcpPort: (tcp.address() as AddressInfo).port,
    close: async () => {
      await http.close();
      await new Promise((r) => h2.close(r));
      await new Promise((r) => tcp.close(r));
    },
  };
}

/** The server sidecar: inbound listeners for 9080 (HTTP), 9090 (HTTP/2) and 9000 (TCP) under one mode. */
export function startServerSidecar(apps: Apps, secrets: SecretProvider | undefined, mode: 'STRICT' | 'PERMISSIVE'): Promise<TestProxy> {
  const listener = (port: number, p: 'http' | 'tcp'): Listener => inboundListener(`127.0.0.1_${port}`, port, inboundChains(port, mode, p));
  return startProxy(
    {
      clusters: [inboundCluster(9080, apps.http.port), inboundCluster(9090, apps.grpcPort, true), inboundCluster(9000, apps.tcpPort)],
      listeners: [listener(9080, 'http'), listener(9090, 'http'), listener(9000, 'tcp')],
    },
    { ...(secrets ? { secrets } : {}) },
  );
}

export interface ClientOptions {
  readonly auto?: boolean;
  /** The identity the client expects of the server (match_subject_alt_names). */
  readonly serverSa?: string;
  /** The server sidecar's endpoints have a sidecar (EDS tlsMode: istio). */
  readonly sidecar?: boolean;
  /** DestinationRule http.maxRequestsPerConnection: upstream connections are renewed (rotation tests). */
  readonly maxRequestsPerConnection?: number;
}

const tcpChain = (c: string): FilterChain => ({ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: c, cluster: c } }] });

/** The client sidecar: outbound 0.0.0.0_9080 / 0.0.0.0_9090 (HTTP) and 127.0.0.1_9000 (TCP) to the server sidecar. */
export function startClientSidecar(server: TestProxy, secrets: SecretProvider | undefined, o: ClientOptions = {}): Promise<TestProxy> {
  const sans = [spiffe(o.serverSa ?? 'bookinfo-reviews')];
  const mk = (port: number, host: string, http2 = false): Cluster => outboundMtlsCluster(cluster(port, host), port, host, { sans, http2, auto: o.auto ?? true, maxRequestsPerConnection: o.maxRequestsPerConnection });
  const eds = (port: number, host: string) => meshAssignment(cluster(port, host), [{ port: server.port(`127.0.0.1_${port}`), sidecar: o.sidecar ?? true }]);
  const vh = (port: number, host: string) => vhost(`${host}:${port}`, [host, `${host.split('.')[0]}:${port}`], [route({ prefix: '/' }, { cluster: cluster(port, host), retry_policy: { retry_on: 'connect-failure', num_retries: { value: 0 } } })]);
  return startProxy(
    {
      clusters: [mk(9080, REVIEWS), mk(9090, GRPC, true), mk(9000, ECHO)],
      endpoints: [eds(9080, REVIEWS), eds(9090, GRPC), eds(9000, ECHO)],
      listeners: [httpListener('0.0.0.0_9080', 9080, '9080'), httpListener('0.0.0.0_9090', 9090, '9090'), { name: '127.0.0.1_9000', address: { socket_address: { address: '127.0.0.1', port_value: 9000 } }, filter_chains: [tcpChain(cluster(9000, ECHO))] }],
      routes: [routeConfig('9080', [vh(9080, REVIEWS)]), routeConfig('9090', [vh(9090, GRPC)])],
    },
    { ...(secrets ? { secrets } : {}) },
  );
}

/** Bytes through a TCP port, half-closed after writing; resolves with what came back. */
export function tcpRoundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => s.end());
    s.on('error', () => undefined);
    s.on('close', () => resolve(Buffer.concat(chunks).toString()));
    s.end(text);
  });
}

/** One gRPC-shaped HTTP/2 call through a port; resolves with status and trailers. */
export function h2Call(port: number, authority: string): Promise<{ status: number; trailers: http2.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': '/helloworld.Greeter/SayHello', ':authority': authority, 'content-type': 'application/grpc', te: 'trailers' });
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('trailers', (trailers) => {
      session.close();
      resolve({ status, trailers });
    });
    req.on('error', reject);
    req.resume();
    req.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

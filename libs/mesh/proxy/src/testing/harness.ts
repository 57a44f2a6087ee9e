/** Real-socket test helpers: upstream HTTP servers, a proxy bound on 127.0.0.1:0, raw requests. */
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { silentLogger } from '@trellis/shared';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration } from '../config/envoy-types';
import { type Proxy, type ProxyOptions, createProxy } from '../proxy';

export interface Upstream {
  readonly name: string;
  readonly port: number;
  /** Requests seen, in order. */
  readonly seen: { method: string; url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, name: string) => void;

/** Default upstream: 200 JSON echo of what it received, with `x-upstream: <name>`. */
export const echo: UpstreamHandler = (req, res, name) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name, connection: 'keep-alive', 'keep-alive': 'timeout=5' });
    res.end(body);
  });
};

export async function startUpstream(name: string, handler: UpstreamHandler = echo): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, name);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on (connection refused). */
export async function deadPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface XdsFixture {
  clusters?: Cluster[];
  endpoints?: ClusterLoadAssignment[];
  listeners?: Listener[];
  routes?: RouteConfiguration[];
}

export interface TestProxy {
  readonly proxy: Proxy;
  port(listener: string): number;
}

/** A proxy with every listener on 127.0.0.1:0, configured in ADS order (CDS, EDS, LDS, RDS). */
export async function startProxy(x: XdsFixture, opts: Partial<ProxyOptions> = {}): Promise<TestProxy> {
  const proxy = createProxy({
    mode: 'sidecar',
    logger: silentLogger(),
    drainMs: 1000,
    bindOverride: () => ({ host: '127.0.0.1', port: 0 }),
    ...opts,
  });
  await proxy.apply('CDS', x.clusters ?? []);
  if (x.endpoints) await proxy.apply('EDS', x.endpoints);
  await proxy.apply('LDS', x.listeners ?? []);
  if (x.routes) await proxy.apply('RDS', x.routes);
  return {
    proxy,
    port(listener: string): number {
      const a = proxy.listenerAddresses().find((l) => l.name === listener);
      if (a === undefined) throw new Error(`listener ${listener} not bound`);
      return a.port;
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface Send {
  readonly path?: string;
  readonly method?: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** One request on a fresh connection (no agent), fully read. */
export function send(port: number, s: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: s.host ?? 'reviews:9080', ...s.headers };
    if (s.body !== undefined) headers['content-length'] = String(Buffer.byteLength(s.body));
    const req = request({ host: '127.0.0.1', port, path: s.path ?? '/', method: s.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(s.body);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Test authorizers behaving like Istio's ext-authz sample (samples/extauthz): allow when the request
 * has `x-ext-authz: allow`, else deny with 403 and its body; both set `x-ext-authz-check-result`.
 * Plus the proxy config around them: an app cluster, the authorizer's cluster, one listener.
 */
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { EXT_AUTHZ_TYPE, type ExtAuthz } from '@trellis/mesh-envoy';
import type { Cluster, Listener } from '../../../config/envoy-types';
import { KNOWN_TYPES } from '../../../config/proto';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../../testing/envoy-fixtures';
import { type TestProxy, send, startProxy } from '../../../testing/harness';

export const DENY_BODY = 'denied by ext_authz for not found header `x-ext-authz: allow` in the request';
export const AUTHZ_CLUSTER = 'outbound|8000||ext-authz.foo.svc.cluster.local';

export interface HttpAuthorizer {
  readonly port: number;
  readonly seen: { method: string; url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** `mode`: 'sample' answers as Istio's sample; 'hang' never answers; '500' fails. */
export async function startHttpAuthorizer(mode: 'sample' | 'hang' | '500' = 'sample'): Promise<HttpAuthorizer> {
  const seen: HttpAuthorizer['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (mode === 'hang') return;
    if (mode === '500') return void res.writeHead(500).end('boom');
    if (req.headers['x-ext-authz'] === 'allow') {
      res.writeHead(200, { 'x-ext-authz-check-result': 'allowed', 'x-not-forwarded': '1', 'set-cookie': 'session=1' }).end();
    } else res.writeHead(403, { 'x-ext-authz-check-result': 'denied', 'content-type': 'text/plain' }).end(DENY_BODY);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

type Json = Record<string, unknown>;
export interface GrpcAuthorizer {
  readonly port: number;
  readonly seen: Json[];
  close(): Promise<void>;
}

function authService(): grpc.ServiceDefinition {
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const def = loadSync('envoy/service/auth/v3/external_auth.proto', {
    keepCase: true,
    longs: Number,
    enums: String,
    includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d)),
  });
  return def['envoy.service.auth.v3.Authorization'] as grpc.ServiceDefinition;
}

/** A real grpc-js Authorization server: decodes our hand-written CheckRequest with protobufjs. */
export async function startGrpcAuthorizer(): Promise<GrpcAuthorizer> {
  const seen: Json[] = [];
  const server = new grpc.Server();
  server.addService(authService(), {
    Check: (call: grpc.ServerUnaryCall<Json, Json>, cb: grpc.sendUnaryData<Json>) => {
      seen.push(call.request);
      const headers = ((call.request.attributes as Json).request as { http: { headers: Record<string, string> } }).http.headers;
      if (headers['x-ext-authz'] === 'allow') {
        cb(null, { status: { code: 0 }, ok_response: { headers: [{ header: { key: 'x-ext-authz-check-result', value: 'allowed' } }] } });
      } else {
        cb(null, { status: { code: 7 }, denied_response: { status: { code: 'Unauthorized' }, headers: [{ header: { key: 'x-ext-authz-check-result', value: 'denied' } }], body: DENY_BODY } });
      }
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, seen, close: () => new Promise<void>((r) => server.tryShutdown(() => r())) };
}

const H2_OPTIONS = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': KNOWN_TYPES.httpProtocolOptions, explicit_http_config: { http2_protocol_options: {} } },
} as Cluster['typed_extension_protocol_options'];

export type ExtAuthzConfig = Omit<ExtAuthz, '@type'>;

/** Listener 0.0.0.0_9080: [extra filters…] → ext_authz(config) → router, routes to reviews. */
export function authzListener(config: ExtAuthzConfig, before: readonly object[] = []): Listener {
  const l = httpListener('0.0.0.0_9080', 9080, routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: svc('reviews') })])]));
  const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
  hcm.http_filters = [
    ...before,
    { name: 'envoy.filters.http.ext_authz', typed_config: { '@type': EXT_AUTHZ_TYPE, ...config } },
    { name: 'envoy.filters.http.router', typed_config: { '@type': KNOWN_TYPES.router } },
  ];
  return l;
}

/** A proxy in front of the app with the authorizer at `authzPort` (HTTP/2 when `h2`). */
export function startAuthzProxy(appPort: number, authzPort: number, config: ExtAuthzConfig, o: { h2?: boolean; before?: readonly object[] } = {}): Promise<TestProxy> {
  return startProxy({
    clusters: [edsCluster(svc('reviews')), edsCluster(AUTHZ_CLUSTER, o.h2 === true ? { typed_extension_protocol_options: H2_OPTIONS } : {})],
    endpoints: [assignment(svc('reviews'), [{ port: appPort }]), assignment(AUTHZ_CLUSTER, [{ port: authzPort }])],
    listeners: [authzListener(config, o.before)],
  });
}

const admins = new WeakMap<TestProxy, number>();

/** A counter from the proxy's admin /stats (Envoy's `name: value` lines), undefined when absent. */
export async function counter(p: TestProxy, name: string): Promise<number | undefined> {
  let port = admins.get(p);
  if (port === undefined) admins.set(p, (port = (await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 })).port));
  const line = (await send(port, { path: '/stats' })).body.split('\n').find((l) => l.startsWith(`${name}: `));
  return line === undefined ? undefined : Number(line.slice(name.length + 2));
}

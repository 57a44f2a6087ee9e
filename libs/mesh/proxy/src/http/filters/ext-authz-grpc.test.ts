import type { TestProxy, Upstream } from '../../testing/harness';
import { deadPort, send, startUpstream } from '../../testing/harness';
import { AUTHZ_CLUSTER, DENY_BODY, type ExtAuthzConfig, type GrpcAuthorizer, counter, startAuthzProxy, startGrpcAuthorizer } from './ext-authz/test-authorizers';

/**
 * envoy.filters.http.ext_authz with a real gRPC authorizer (grpc-js, decoding with protobufjs what
 * the proxy encodes by hand) over the cluster's HTTP/2 pool: envoy.service.auth.v3.Authorization/Check.
 */

/** istiod's `envoyExtAuthzGrpc` provider. */
const ISTIO_GRPC: ExtAuthzConfig = {
  grpc_service: { envoy_grpc: { cluster_name: AUTHZ_CLUSTER, authority: 'ext-authz.foo.svc.cluster.local' }, timeout: { seconds: 2 } },
  transport_api_version: 'V3',
  status_on_error: { code: 'Forbidden' },
};

type Json = Record<string, unknown>;

describe('ext_authz over gRPC', () => {
  let app: Upstream;
  let authz: GrpcAuthorizer;
  const proxies: TestProxy[] = [];
  const started = async (port: number, config: ExtAuthzConfig): Promise<TestProxy> => {
    const p = await startAuthzProxy(app.port, port, config, { h2: true });
    proxies.push(p);
    return p;
  };
  beforeAll(async () => {
    app = await startUpstream('reviews');
    authz = await startGrpcAuthorizer();
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.proxy.close();
    app.seen.length = 0;
    authz.seen.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await authz.close();
  });

  it('allowed: CheckRequest carries the peers and request.http; ok_response headers reach the upstream', async () => {
    const p = await started(authz.port, ISTIO_GRPC);
    const r = await send(p.port('0.0.0.0_9080'), { method: 'POST', path: '/reviews/1?q=1', host: 'reviews:9080', body: 'hi', headers: { 'x-ext-authz': 'allow', 'x-request-id': 'rid-1' } });
    expect(r.status).toBe(200);
    expect(app.seen[0]!.headers['x-ext-authz-check-result']).toBe('allowed');
    expect(r.json<{ body: string }>().body).toBe('hi');
    const attrs = authz.seen[0]!.attributes as { source: Json; destination: Json; request: { http: Json; time: Json } };
    expect(attrs.request.http).toMatchObject({ id: 'rid-1', method: 'POST', path: '/reviews/1?q=1', host: 'reviews:9080', scheme: 'http', protocol: 'HTTP/1.1', size: 2 });
    expect(attrs.request.http['headers']).toMatchObject({ ':authority': 'reviews:9080', ':method': 'POST', ':path': '/reviews/1?q=1', 'x-ext-authz': 'allow', 'content-length': '2' });
    expect(attrs.source).toMatchObject({ address: { socket_address: { address: '127.0.0.1' } } });
    expect(attrs.destination).toMatchObject({ address: { socket_address: { address: '127.0.0.1', port_value: p.port('0.0.0.0_9080') } } });
    expect(Number(attrs.request.time['seconds'])).toBeGreaterThan(1_600_000_000);
    expect(await counter(p, 'http.0.0.0.0_9080.ext_authz.ok')).toBe(1);
  });

  it('denied: denied_response status, headers and body go downstream', async () => {
    const p = await started(authz.port, ISTIO_GRPC);
    const r = await send(p.port('0.0.0.0_9080'), { path: '/reviews/1' });
    expect([r.status, r.body, r.headers['x-ext-authz-check-result']]).toEqual([401, DENY_BODY, 'denied']);
    expect(app.seen).toHaveLength(0);
    expect(await counter(p, 'http.0.0.0.0_9080.ext_authz.denied')).toBe(1);
  });

  it('authorizer down: status_on_error, or through with failure_mode_allow', async () => {
    const dead = await deadPort();
    const closed = await started(dead, ISTIO_GRPC);
    expect((await send(closed.port('0.0.0.0_9080'), { headers: { 'x-ext-authz': 'allow' } })).status).toBe(403);
    await closed.proxy.close();
    proxies.length = 0;
    const open = await started(dead, { ...ISTIO_GRPC, failure_mode_allow: true });
    expect((await send(open.port('0.0.0.0_9080'))).status).toBe(200);
    expect(await counter(open, 'http.0.0.0.0_9080.ext_authz.failure_mode_allowed')).toBe(1);
  });
});

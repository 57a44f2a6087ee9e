import type { FilterStatus, HttpFilterFactory } from '../filter';
import { HTTP_FILTERS } from '../../stack';
import type { TestProxy, Upstream } from '../../testing/harness';
import { deadPort, send, startUpstream } from '../../testing/harness';
import { AUTHZ_CLUSTER, DENY_BODY, type ExtAuthzConfig, type HttpAuthorizer, counter, startAuthzProxy, startHttpAuthorizer } from './ext-authz/test-authorizers';

/** envoy.filters.http.ext_authz with a real HTTP authorizer (Istio's ext-authz sample's behaviour) behind a cluster. */

/** istiod's http_service for `envoyExtAuthzHttp` with includeRequestHeadersInCheck: [x-ext-authz], headersToUpstreamOnAllow. */
const ISTIO_HTTP: ExtAuthzConfig = {
  http_service: {
    server_uri: { uri: 'http://ext-authz.foo.svc.cluster.local', cluster: AUTHZ_CLUSTER, timeout: { seconds: 2 } },
    path_prefix: '/check',
    authorization_request: { headers_to_add: [{ key: 'x-added', value: 'by-istio' }] },
    authorization_response: {
      allowed_upstream_headers: { patterns: [{ exact: 'x-ext-authz-check-result', ignore_case: true }] },
      allowed_client_headers: { patterns: [{ exact: 'x-ext-authz-check-result', ignore_case: true }] },
      allowed_client_headers_on_success: { patterns: [{ exact: 'set-cookie', ignore_case: true }] },
    },
  },
  allowed_headers: { patterns: [{ exact: 'x-ext-authz', ignore_case: true }] },
  transport_api_version: 'V3',
};


describe('ext_authz over HTTP', () => {
  let app: Upstream;
  let authz: HttpAuthorizer;
  const proxies: TestProxy[] = [];
  const started = async (authzPort: number, config: ExtAuthzConfig, before?: readonly object[]): Promise<TestProxy> => {
    const p = await startAuthzProxy(app.port, authzPort, config, { before });
    proxies.push(p);
    return p;
  };
  beforeAll(async () => {
    app = await startUpstream('reviews');
    authz = await startHttpAuthorizer();
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

  it('allowed: the check carries method, prefixed path, Host, allowed and added headers; the upstream gets the allowed header', async () => {
    const p = await started(authz.port, ISTIO_HTTP);
    const r = await send(p.port('0.0.0.0_9080'), { method: 'DELETE', path: '/reviews/1?x=y', host: 'reviews:9080', headers: { 'x-ext-authz': 'allow', authorization: 'Bearer t', 'x-other': 'no' } });
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toEqual(['session=1']);
    expect(r.headers['x-ext-authz-check-result']).toBeUndefined();
    const check = authz.seen[0]!;
    expect(check).toMatchObject({ method: 'DELETE', url: '/check/reviews/1?x=y' });
    expect(check.headers).toMatchObject({ host: 'reviews:9080', 'x-ext-authz': 'allow', authorization: 'Bearer t', 'x-added': 'by-istio', 'content-length': '0' });
    expect(check.headers['x-other']).toBeUndefined();
    const up = app.seen[0]!;
    expect(up.headers['x-ext-authz-check-result']).toBe('allowed');
    expect(up.headers['x-not-forwarded']).toBeUndefined();
    expect(await counter(p, 'http.0.0.0.0_9080.ext_authz.ok')).toBe(1);
  });

  it("denied: the authorizer's status, body and allowed headers go downstream; the upstream never sees the request", async () => {
    const p = await started(authz.port, ISTIO_HTTP);
    const r = await send(p.port('0.0.0.0_9080'), { path: '/reviews/1', headers: { 'x-ext-authz': 'deny' } });
    expect(r.status).toBe(403);
    expect(r.body).toBe(DENY_BODY);
    expect(r.headers['x-ext-authz-check-result']).toBe('denied');
    expect(r.headers['server']).toBe('envoy');
    expect(app.seen).toHaveLength(0);
    expect(await counter(p, 'http.0.0.0.0_9080.ext_authz.denied')).toBe(1);
  });

  it('authorizer down: 403 without failure_mode_allow, the request through with it', async () => {
    const dead = await deadPort();
    const closed = await started(dead, ISTIO_HTTP);
    const r = await send(closed.port('0.0.0.0_9080'), { headers: { 'x-ext-authz': 'allow' } });
    expect([r.status, r.body]).toEqual([403, '']);
    expect(await counter(closed, 'http.0.0.0.0_9080.ext_authz.error')).toBe(1);
    await closed.proxy.close();
    proxies.length = 0;
    const open = await started(dead, { ...ISTIO_HTTP, failure_mode_allow: true });
    expect((await send(open.port('0.0.0.0_9080'))).status).toBe(200);
    expect(await counter(open, 'http.0.0.0.0_9080.ext_authz.failure_mode_allowed')).toBe(1);
  });

  it('a 5xx or a timeout is an error: status_on_error', async () => {
    const failing = await startHttpAuthorizer('500');
    const hanging = await startHttpAuthorizer('hang');
    try {
      const p = await started(failing.port, { ...ISTIO_HTTP, status_on_error: { code: 'ServiceUnavailable' } });
      expect((await send(p.port('0.0.0.0_9080'), { headers: { 'x-ext-authz': 'allow' } })).status).toBe(503);
      const slow = { ...ISTIO_HTTP.http_service, server_uri: { ...ISTIO_HTTP.http_service!.server_uri, timeout: { nanos: 100e6 } } };
      const q = await started(hanging.port, { ...ISTIO_HTTP, http_service: slow });
      const t0 = Date.now();
      expect((await send(q.port('0.0.0.0_9080'), { headers: { 'x-ext-authz': 'allow' } })).status).toBe(403);
      expect(Date.now() - t0).toBeLessThan(1500);
      expect(app.seen).toHaveLength(0);
    } finally {
      await failing.close();
      await hanging.close();
    }
  });

  it('filter_enabled_metadata: only requests the (shadow RBAC) metadata marks are checked', async () => {
    const MARK_TYPE = 'type.googleapis.com/trellis.test.MarkExtAuthz';
    const mark: HttpFilterFactory = {
      typeUrl: MARK_TYPE,
      create: (_r, name) => ({
        name,
        decodeHeaders: (ex): FilterStatus => {
          const id = ex.headers['x-policy'];
          if (typeof id === 'string') ex.setMetadata('envoy.filters.http.rbac', 'istio_ext_authz_shadow_effective_policy_id', id);
          return 'continue';
        },
      }),
    };
    (HTTP_FILTERS as Map<string, HttpFilterFactory>).set(MARK_TYPE, mark);
    try {
      const enabled = { filter: 'envoy.filters.http.rbac', path: [{ key: 'istio_ext_authz_shadow_effective_policy_id' }], value: { string_match: { prefix: 'istio-ext-authz-sample' } } };
      const p = await started(authz.port, { ...ISTIO_HTTP, filter_enabled_metadata: enabled }, [{ name: 'mark', typed_config: { '@type': MARK_TYPE } }]);
      const port = p.port('0.0.0.0_9080');
      expect((await send(port)).status).toBe(200);
      expect((await send(port, { headers: { 'x-policy': 'istio-ext-authz-other-ns[foo]-policy[x]-rule[0]' } })).status).toBe(200);
      expect(authz.seen).toHaveLength(0);
      expect((await send(port, { headers: { 'x-policy': 'istio-ext-authz-sample-ns[foo]-policy[x]-rule[0]' } })).status).toBe(403);
      expect(authz.seen).toHaveLength(1);
      expect(await counter(p, 'http.0.0.0.0_9080.ext_authz.disabled')).toBe(2);
    } finally {
      (HTTP_FILTERS as Map<string, HttpFilterFactory>).delete(MARK_TYPE);
    }
  });

  it('NACKs what it cannot do, naming the field', async () => {
    await expect(started(authz.port, { ...ISTIO_HTTP, with_request_body: { max_request_bytes: 10 } })).rejects.toThrow(/with_request_body/);
    await expect(started(authz.port, { ...ISTIO_HTTP, grpc_service: { envoy_grpc: { cluster_name: AUTHZ_CLUSTER } } })).rejects.toThrow(/exactly one of http_service, grpc_service/);
    await expect(started(authz.port, { ...ISTIO_HTTP, status_on_error: { code: 999 } })).rejects.toThrow(/status_on_error/);
  });
});

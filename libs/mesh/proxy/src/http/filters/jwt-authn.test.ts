import { ROUTER_TYPE } from '@trellis/mesh-envoy';
import type { Listener } from '../../config/envoy-types';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from '../../testing/harness';
import { type TestIssuer, istiodJwtAuthn, testIssuer } from './jwt/test-tokens';

/** An HCM with jwt_authn (istiod's RequestAuthentication config) + router, on real sockets. */
describe('envoy.filters.http.jwt_authn in the proxy', () => {
  let up: Upstream;
  let issuer: TestIssuer;
  let p: TestProxy;
  beforeAll(async () => {
    up = await startUpstream('httpbin');
    issuer = await testIssuer();
    const listener: Listener = httpListener('0.0.0.0_8000', 8000, '8000');
    const hcm = listener.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
    hcm.http_filters = [
      { name: 'envoy.filters.http.jwt_authn', typed_config: istiodJwtAuthn(issuer, { claim_to_headers: [{ header_name: 'x-jwt-sub', claim_name: 'sub' }] }) },
      { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } },
    ];
    p = await startProxy({
      clusters: [edsCluster(svc('httpbin', '', 8000))],
      endpoints: [assignment(svc('httpbin', '', 8000), [{ port: up.port }])],
      listeners: [listener],
      routes: [routeConfig('8000', [vhost('httpbin', ['*'], [route({ prefix: '/' }, { cluster: svc('httpbin', '', 8000) })])])],
    });
  });
  afterAll(async () => {
    await p.proxy.close();
    await up.close();
  });

  const get = (headers: Record<string, string> = {}) => send(p.port('0.0.0.0_8000'), { path: '/headers', host: 'httpbin.foo:8000', headers });

  it('no token: 200; a bad token: 401 with the body and the challenge, never reaching the upstream', async () => {
    expect((await get()).status).toBe(200);
    const before = up.seen.length;
    const bad = await get({ authorization: 'Bearer deadbeef' });
    expect([bad.status, bad.body]).toEqual([401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections']);
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="http://httpbin.foo:8000/headers", error="invalid_token"');
    expect(up.seen.length).toBe(before);
  });

  it('a valid token: 200, the token removed and the claim header set on the way up; an expired one: 401 Jwt is expired', async () => {
    const ok = await get({ authorization: `Bearer ${await issuer.mint()}`, 'x-jwt-sub': 'spoofed' });
    expect(ok.status).toBe(200);
    const seen = ok.json<{ headers: Record<string, string> }>().headers;
    expect(seen['authorization']).toBeUndefined();
    expect(seen['x-jwt-sub']).toBe('testing@secure.istio.io');
    const expired = await get({ authorization: `Bearer ${await issuer.mint({ exp: Math.floor(Date.now() / 1000) - 120 })}` });
    expect([expired.status, expired.body]).toEqual([401, 'Jwt is expired']);
  });

  it('counts http.<stat_prefix>.jwt_authn.allowed and denied', async () => {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    const stats = (await send(admin.port, { path: '/stats' })).body;
    expect(stats).toContain('http.0.0.0.0_8000.jwt_authn.allowed: 2\n');
    expect(stats).toContain('http.0.0.0.0_8000.jwt_authn.denied: 2\n');
  });

  it('NACKs a provider with remote_jwks, keeping the last good config', async () => {
    const l = httpListener('0.0.0.0_8000', 8000, '8000');
    const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
    const remote = istiodJwtAuthn(issuer);
    remote.providers = { 'origins-0': { issuer: issuer.iss, remote_jwks: { http_uri: { uri: 'https://example.com/jwks' } } } };
    hcm.http_filters = [{ name: 'envoy.filters.http.jwt_authn', typed_config: remote }, { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }];
    expect(() => p.proxy.apply('LDS', [l])).toThrow(/jwt_authn provider origins-0: remote_jwks is not fetched by this proxy/);
    expect((await get({ authorization: 'Bearer deadbeef' })).status).toBe(401);
  });
});

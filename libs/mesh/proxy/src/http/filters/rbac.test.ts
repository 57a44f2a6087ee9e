import type { HttpRbac, Permission, Principal, RbacRules } from '@trellis/mesh-envoy';
import type { Listener, TypedConfig } from '../../config/envoy-types';
import { KNOWN_TYPES } from '../../config/proto';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from '../../testing/harness';

/** envoy.filters.http.rbac on a real listener: decisions, Envoy's reply, details, counters, per-route config, NACKs. */

const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': KNOWN_TYPES.router } };
const methods = (...ms: string[]): Permission => ({ or_rules: { rules: ms.map((m) => ({ header: { name: ':method', string_match: { exact: m } } })) } });
const anyone: Principal = { any: true };

function rbac(config: Omit<HttpRbac, '@type'>): object {
  return { name: 'envoy.filters.http.rbac', typed_config: { '@type': KNOWN_TYPES.rbac, ...config } };
}

function listenerWith(filters: readonly object[]): Listener {
  const l = httpListener('0.0.0.0_9080', 9080, '9080');
  (l.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] }).http_filters = [...filters];
  return l;
}

const GET_ONLY: RbacRules = { action: 'ALLOW', policies: { 'ns[default]-policy[viewer]-rule[0]': { permissions: [methods('GET')], principals: [anyone] } } };

describe('envoy.filters.http.rbac', () => {
  let up: Upstream;
  const proxies: TestProxy[] = [];
  const log: string[] = [];
  beforeAll(async () => {
    up = await startUpstream('reviews');
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.proxy.close();
    log.length = 0;
  });
  afterAll(() => up.close());

  async function proxyWith(filters: readonly object[], perRoute?: Record<string, TypedConfig>): Promise<TestProxy> {
    const p = await startProxy(
      {
        clusters: [edsCluster(svc('reviews'))],
        endpoints: [assignment(svc('reviews'), [{ port: up.port }])],
        listeners: [listenerWith(filters)],
        routes: [
          routeConfig('9080', [
            vhost('reviews', ['*'], [
              route({ prefix: '/open' }, { cluster: svc('reviews') }, perRoute ? { typed_per_filter_config: perRoute } : {}),
              route({ prefix: '/' }, { cluster: svc('reviews') }),
            ]),
          ]),
        ],
      },
      { accessLog: { write: (line: string) => log.push(line) } },
    );
    proxies.push(p);
    return p;
  }

  async function stats(p: TestProxy, path = '/stats'): Promise<string> {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    return (await send(admin.port, { path })).body;
  }

  it('denies with 403 "RBAC: access denied" (text/plain, flag RBAC, details none), allows what a policy matches, counts both', async () => {
    const p = await proxyWith([rbac({ rules: GET_ONLY }), ROUTER]);
    const port = p.port('0.0.0.0_9080');
    const before = up.seen.length;
    const denied = await send(port, { method: 'POST', body: 'x' });
    expect([denied.status, denied.body, denied.headers['content-type']]).toEqual([403, 'RBAC: access denied', 'text/plain']);
    expect(up.seen.length).toBe(before); // never reached the upstream
    expect(log.at(-1)).toContain('403 RBAC rbac_access_denied_matched_policy[none]');
    expect((await send(port)).status).toBe(200);
    const text = await stats(p);
    expect(text).toContain('http.0.0.0.0_9080.rbac.allowed: 1\n');
    expect(text).toContain('http.0.0.0.0_9080.rbac.denied: 1\n');
  });

  it('DENY names the matched policy in the details; rules_stat_prefix goes after rbac.', async () => {
    const deny: RbacRules = { action: 'DENY', policies: { 'ns[default]-policy[deny-admin]-rule[0]': { permissions: [{ url_path: { path: { prefix: '/admin' } } }], principals: [anyone] } } };
    const p = await proxyWith([rbac({ rules: deny, rules_stat_prefix: 'deny_' }), ROUTER]);
    const port = p.port('0.0.0.0_9080');
    expect((await send(port, { path: '/admin/users?x=1' })).status).toBe(403);
    expect(log.at(-1)).toContain('rbac_access_denied_matched_policy[ns[default]-policy[deny-admin]-rule[0]]');
    expect((await send(port, { path: '/api' })).status).toBe(200);
    const text = await stats(p);
    expect(text).toContain('http.0.0.0.0_9080.rbac.deny_denied: 1\n');
    expect(text).toContain('http.0.0.0.0_9080.rbac.deny_allowed: 1\n');
    expect(await stats(p, '/stats/prometheus')).toContain('envoy_http_rbac_deny_denied{http_conn_manager_prefix="0.0.0.0_9080"} 1');
  });

  it('shadow rules only count (Istio dry-run): the request goes through either way', async () => {
    const p = await proxyWith([rbac({ shadow_rules: GET_ONLY, shadow_rules_stat_prefix: 'istio_dry_run_allow_' }), ROUTER]);
    const port = p.port('0.0.0.0_9080');
    expect((await send(port, { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await send(port)).status).toBe(200);
    expect((await send(port)).status).toBe(200);
    const text = await stats(p);
    expect(text).toContain('http.0.0.0.0_9080.rbac.istio_dry_run_allow_shadow_denied: 1\n');
    expect(text).toContain('http.0.0.0.0_9080.rbac.istio_dry_run_allow_shadow_allowed: 2\n');
    expect(text).not.toMatch(/rbac\.allowed: [1-9]/);
  });

  it('RBACPerRoute: an empty one disables the filter on its route, one with rules replaces the filter-level rules', async () => {
    const disabled = { 'envoy.filters.http.rbac': { '@type': KNOWN_TYPES.rbacPerRoute } };
    let p = await proxyWith([rbac({ rules: GET_ONLY }), ROUTER], disabled);
    let port = p.port('0.0.0.0_9080');
    expect((await send(port, { path: '/open', method: 'DELETE' })).status).toBe(200);
    expect((await send(port, { path: '/closed', method: 'DELETE' })).status).toBe(403);
    const postOnly: RbacRules = { policies: { post: { permissions: [methods('POST')], principals: [anyone] } } };
    p = await proxyWith([rbac({ rules: GET_ONLY }), ROUTER], { 'envoy.filters.http.rbac': { '@type': KNOWN_TYPES.rbacPerRoute, rbac: { rules: postOnly } } });
    port = p.port('0.0.0.0_9080');
    expect((await send(port, { path: '/open' })).status).toBe(403);
    expect((await send(port, { path: '/open', method: 'POST', body: 'x' })).status).toBe(200);
  });

  it('headers, pseudo-headers and x-forwarded-for reach the engine (remote_ip is the last hop without use_remote_address)', async () => {
    const rules: RbacRules = {
      policies: {
        p: {
          permissions: [{ and_rules: { rules: [{ header: { name: ':authority', string_match: { prefix: 'reviews' } } }, { header: { name: 'x-user', exact_match: 'alice' } }] } }],
          principals: [{ remote_ip: { address_prefix: '203.0.113.0', prefix_len: { value: 24 } } }],
        },
      },
    };
    const p = await proxyWith([rbac({ rules }), ROUTER]);
    const port = p.port('0.0.0.0_9080');
    expect((await send(port, { headers: { 'x-user': 'alice', 'x-forwarded-for': '198.51.100.1, 203.0.113.9' } })).status).toBe(200);
    expect((await send(port, { headers: { 'x-user': 'alice', 'x-forwarded-for': '203.0.113.9, 198.51.100.1' } })).status).toBe(403);
    expect((await send(port, { headers: { 'x-user': 'bob', 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
  });

  it('a malformed RBAC config is NACKed naming the filter and policy; the previous listener keeps serving', async () => {
    const p = await proxyWith([rbac({ rules: GET_ONLY }), ROUTER]);
    const port = p.port('0.0.0.0_9080');
    const bad = { policies: { 'ns[x]-policy[y]-rule[0]': { permissions: [{ destination_port_range: { start: 1, end: 2 } } as Permission], principals: [anyone] } } };
    expect(() => p.proxy.apply('LDS', [listenerWith([rbac({ rules: bad }), ROUTER])])).toThrow(
      'listener 0.0.0.0_9080 filter chain 0 http filter envoy.filters.http.rbac: rules: policy "ns[x]-policy[y]-rule[0]": unsupported permission rule destination_port_range',
    );
    const regex = { policies: { r: { permissions: [{ url_path: { path: { safe_regex: { regex: '(?P<n>x)' } } } }], principals: [anyone] } } };
    expect(() => p.proxy.apply('LDS', [listenerWith([rbac({ shadow_rules: regex }), ROUTER])])).toThrow(/shadow_rules: policy "r": regex "\(\?P<n>x\)" cannot be compiled/);
    expect((await send(port)).status).toBe(200);
    expect((await send(port, { method: 'PUT', body: 'x' })).status).toBe(403);
  });
});

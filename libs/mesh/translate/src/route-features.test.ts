import type { HTTPRoute, VirtualService } from '@trellis/mesh-api';
import { simulate, translate, type Route } from './index';
import { parseRetryOn, retryPolicy } from './retry';
import { bookinfoSnapshot, cluster, destinationRuleAll, NS, sidecarProxy } from './testing/bookinfo';

const proxy = sidecarProxy('productpage-v1');

function reviewsVs(http: HTTPRoute[], extra: Partial<VirtualService['spec']> = {}): VirtualService {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: NS }, spec: { hosts: ['reviews'], http, ...extra } };
}
function resourcesFor(...http: HTTPRoute[]) {
  return translate(bookinfoSnapshot({ virtualServices: [reviewsVs(http)], destinationRules: destinationRuleAll }), proxy);
}
function routesFor(...http: HTTPRoute[]): Route[] {
  return resourcesFor(...http).routes[0]!.virtual_hosts!.find((v) => v.name!.startsWith('reviews.'))!.routes!;
}
const v1 = [{ destination: { host: 'reviews', subset: 'v1' } }];

describe('match translation', () => {
  it('uri exact/prefix/regex, ignoreUriCase, sorted headers, withoutHeaders, method, authority, query params', () => {
    const routes = routesFor({
      name: 'r',
      match: [
        { name: 'm', uri: { exact: '/a' }, ignoreUriCase: true, headers: { 'x-b': { prefix: 'p' }, 'X-A': { regex: 'a+' } }, withoutHeaders: { 'x-c': {} } },
        { uri: { prefix: '/p' }, method: { exact: 'POST' }, authority: { exact: 'reviews' }, queryParams: { q: { exact: '1' }, flag: {} } },
        { uri: { regex: '/r/[0-9]+' } },
      ],
      route: v1,
    });
    expect(routes.map((r) => r.name)).toEqual(['r.m', 'r', 'r']);
    expect(routes[0]?.match).toEqual({
      path: '/a',
      case_sensitive: { value: false },
      headers: [
        { name: 'x-a', string_match: { safe_regex: { regex: 'a+' } } },
        { name: 'x-b', string_match: { prefix: 'p' } },
        { name: 'x-c', present_match: true, invert_match: true },
      ],
    });
    expect(routes[1]?.match).toEqual({
      prefix: '/p',
      headers: [{ name: ':method', string_match: { exact: 'POST' } }, { name: ':authority', string_match: { exact: 'reviews' } }],
      query_parameters: [{ name: 'flag', present_match: true }, { name: 'q', string_match: { exact: '1' } }],
    });
    expect(routes[2]?.match).toEqual({ safe_regex: { regex: '/r/[0-9]+' } });
  });

  it('simulates those matches', () => {
    const r = resourcesFor(
      { match: [{ uri: { exact: '/a' }, ignoreUriCase: true, withoutHeaders: { 'x-skip': {} } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { match: [{ uri: { regex: '/r/[0-9]+' }, queryParams: { q: { exact: '1' } } }], route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
    );
    const go = (path: string, headers: Record<string, string> = {}) => simulate(r, { host: 'reviews', port: 9080, path, headers });
    expect(go('/A').cluster).toBe(cluster('reviews', 'v2'));
    expect(go('/a', { 'x-skip': '1' }).matched).toBe(false);
    expect(go('/r/12?q=1').cluster).toBe(cluster('reviews', 'v3'));
    expect(go('/r/12?q=2').matched).toBe(false);
    expect(go('/r/x?q=1').matched).toBe(false);
  });

  it('drops matches for another port and routes after a catch-all', () => {
    const routes = routesFor({ match: [{ port: 8080, uri: { prefix: '/x' } }], route: v1 }, { route: v1 }, { route: v1 });
    expect(routes).toHaveLength(1);
    expect(routes[0]?.match).toEqual({ prefix: '/' });
  });
});

describe('route actions', () => {
  it('retries: attempts 0 → none; attempts/perTryTimeout/retryOn with numeric codes', () => {
    expect(routesFor({ route: v1, retries: { attempts: 0 } })[0]?.route?.retry_policy).toBeUndefined();
    expect(routesFor({ route: v1, retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,503,504' } })[0]?.route?.retry_policy).toEqual({
      retry_on: 'gateway-error,connect-failure,retriable-status-codes',
      num_retries: { value: 3 },
      per_try_timeout: { seconds: 2, nanos: 0 },
      retriable_status_codes: [503, 504],
      retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' } }],
      host_selection_retry_max_attempts: 5,
    });
    expect(parseRetryOn('5xx')).toEqual({ retryOn: '5xx', codes: [] });
    expect(retryPolicy({ retryOn: '5xx' })?.retriable_status_codes).toBeUndefined();
  });

  it('mirror with and without mirrorPercentage', () => {
    const [a] = routesFor({ route: v1, mirror: { host: 'reviews', subset: 'v2' }, mirrorPercentage: { value: 12.5 } });
    expect(a?.route?.request_mirror_policies).toEqual([{ cluster: cluster('reviews', 'v2'), runtime_fraction: { default_value: { numerator: 125000, denominator: 'MILLION' } } }]);
    const [b] = routesFor({ route: v1, mirror: { host: 'reviews', subset: 'v2' } });
    expect(b?.route?.request_mirror_policies?.[0]?.runtime_fraction?.default_value).toEqual({ numerator: 100, denominator: 'HUNDRED' });
  });

  it('rewrite: prefix → prefix_rewrite, exact → regex_rewrite; authority → host_rewrite_literal', () => {
    const [p, e] = routesFor(
      { match: [{ uri: { prefix: '/old' } }], rewrite: { uri: '/new', authority: 'reviews.internal' }, route: v1 },
      { match: [{ uri: { exact: '/x' } }], rewrite: { uri: '/y' }, route: v1 },
    );
    expect(p?.route).toMatchObject({ prefix_rewrite: '/new', host_rewrite_literal: 'reviews.internal' });
    expect(e?.route?.regex_rewrite).toEqual({ pattern: { regex: '^.*$' }, substitution: '/y' });
  });

  it('redirect and directResponse', () => {
    const [r, d] = routesFor(
      { match: [{ uri: { exact: '/r' } }], redirect: { uri: '/new', authority: 'x', redirectCode: 308 } },
      { directResponse: { status: 418, body: { string: 'teapot' } } },
    );
    expect(r).toMatchObject({ redirect: { path_redirect: '/new', host_redirect: 'x', response_code: 'PERMANENT_REDIRECT' } });
    expect(r?.route).toBeUndefined();
    expect(d?.direct_response).toEqual({ status: 418, body: { inline_string: 'teapot' } });
  });

  it('header manipulation at route and destination level; single destination merges', () => {
    const [w] = routesFor({
      headers: { request: { set: { 'x-a': '1' }, remove: ['x-b'] }, response: { add: { 'x-c': '2' } } },
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 70, headers: { request: { set: { 'x-v': '1' } } } },
        { destination: { host: 'reviews', subset: 'v2' }, weight: 30 },
        { destination: { host: 'reviews', subset: 'v3' }, weight: 0 },
      ],
    });
    expect(w).toMatchObject({
      request_headers_to_add: [{ header: { key: 'x-a', value: '1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
      request_headers_to_remove: ['x-b'],
      response_headers_to_add: [{ header: { key: 'x-c', value: '2' }, append_action: 'APPEND_IF_EXISTS_OR_ADD' }],
    });
    expect(w?.route?.weighted_clusters?.clusters).toEqual([
      { name: cluster('reviews', 'v1'), weight: { value: 70 }, request_headers_to_add: [{ header: { key: 'x-v', value: '1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }] },
      { name: cluster('reviews', 'v2'), weight: { value: 30 } },
    ]);
    const [s] = routesFor({ route: [{ destination: { host: 'reviews' }, headers: { response: { remove: ['server'] } } }] });
    expect(s).toMatchObject({ route: { cluster: cluster('reviews') }, response_headers_to_remove: ['server'] });
  });

  it('fault: legacy percent, grpc abort status, default 100%', () => {
    const [f] = routesFor({ route: v1, fault: { delay: { fixedDelay: '100ms', percent: 10 }, abort: { grpcStatus: 'UNAVAILABLE' } } });
    expect(f?.typed_per_filter_config?.['envoy.filters.http.fault']).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
      delay: { fixed_delay: { seconds: 0, nanos: 100000000 }, percentage: { numerator: 10, denominator: 'HUNDRED' } },
      abort: { grpc_status: 14, percentage: { numerator: 1000000, denominator: 'MILLION' } },
    });
  });

  it('destination port: explicit, else only port; FQDN and wildcard VS hosts', () => {
    const vs = reviewsVs([{ route: [{ destination: { host: 'ratings.default.svc.cluster.local', port: { number: 9080 } } }] }], { hosts: ['*.default.svc.cluster.local'] });
    const r = translate(bookinfoSnapshot({ virtualServices: [vs] }), proxy);
    for (const host of ['reviews', 'details', 'ratings']) expect(simulate(r, { host, port: 9080, path: '/' }).cluster).toBe(cluster('ratings'));
  });

  it('VS exportTo "." hides it from other namespaces; sourceLabels restricts matches', () => {
    const hidden = reviewsVs([{ route: [{ destination: { host: 'reviews', subset: 'v3' } }] }], { exportTo: ['.'] });
    const other = sidecarProxy('productpage-v1', { namespace: 'other' });
    expect(simulate(translate(bookinfoSnapshot({ virtualServices: [hidden] }), other), { host: 'reviews.default', port: 9080, path: '/' }).cluster).toBe(cluster('reviews'));
    const scoped = reviewsVs([{ match: [{ sourceLabels: { app: 'ratings' } }], route: [{ destination: { host: 'reviews', subset: 'v3' } }] }, { route: v1 }]);
    expect(simulate(translate(bookinfoSnapshot({ virtualServices: [scoped] }), proxy), { host: 'reviews', port: 9080, path: '/' }).cluster).toBe(cluster('reviews', 'v1'));
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYamlDocuments, validateConfig, type EnvoyFilter } from '@trellis/mesh-api';
import type { HttpConnectionManager, Listener } from '@trellis/mesh-envoy';
import { translate } from './translate';
import { createTranslator } from './translator';
import { GATEWAY_PROXY, bookinfoGateway, bookinfoSnapshot, bookinfoVirtualService, sidecarProxy } from './testing/bookinfo';

const ROOT = resolve(__dirname, '../../../..');

function filters(objects: unknown[]): EnvoyFilter[] {
  const { valid, errors } = validateConfig(objects);
  expect(errors).toEqual([]);
  return valid as EnvoyFilter[];
}

const globalFilters = (): EnvoyFilter[] =>
  filters(parseYamlDocuments(readFileSync(resolve(ROOT, 'samples/bookinfo/policy/productpage_envoy_ratelimit.yaml'), 'utf8'), 'productpage_envoy_ratelimit.yaml').objects);

const localFilter = (name: string, extra: Record<string, unknown> = {}, namespace = 'istio-system'): unknown => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'EnvoyFilter',
  metadata: { name, namespace },
  spec: {
    workloadSelector: { labels: { app: 'productpage' } },
    configPatches: [
      {
        applyTo: 'HTTP_FILTER',
        match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
        patch: { operation: 'INSERT_BEFORE', value: { name, typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', stat_prefix: name, token_bucket: { max_tokens: 10, tokens_per_fill: 10, fill_interval: '60s' } } } },
      },
    ],
    ...extra,
  },
});

const hcms = (l: Listener): HttpConnectionManager[] =>
  (l.filter_chains ?? []).flatMap((c) => c.filters ?? []).filter((f) => f.name === 'envoy.filters.network.http_connection_manager').map((f) => f.typed_config as HttpConnectionManager);
const httpFilters = (l: Listener | undefined): string[] => (l === undefined ? [] : hcms(l).flatMap((h) => (h.http_filters ?? []).map((f) => f.name ?? '')));

describe('EnvoyFilter application', () => {
  const base = { gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] };

  it("Istio's global rate limit: the gateway gets ratelimit before the router, rate_limit_cluster and the vhost's PATH action", () => {
    const r = translate(bookinfoSnapshot({ ...base, envoyFilters: globalFilters() }), GATEWAY_PROXY);
    expect(httpFilters(r.listeners.find((l) => l.name === '0.0.0.0_8080'))).toEqual(['istio.metadata_exchange', 'envoy.filters.http.fault', 'istio.stats', 'envoy.filters.http.ratelimit', 'envoy.filters.http.router']);
    const rlf = hcms(r.listeners[0] as Listener)[0]?.http_filters?.find((f) => f.name === 'envoy.filters.http.ratelimit');
    expect(rlf?.typed_config).toMatchObject({ '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit', domain: 'productpage-ratelimit', failure_mode_deny: true, timeout: '10s' });
    const cluster = r.clusters.find((c) => c.name === 'rate_limit_cluster');
    expect(cluster).toMatchObject({ type: 'STRICT_DNS', http2_protocol_options: {}, load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'ratelimit.default.svc.cluster.local', port_value: 8081 } } } }] }] } });
    expect(r.routes[0]?.virtual_hosts?.[0]).toMatchObject({ name: '*:8080', rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }] });
    // a sidecar is not selected (istio: ingressgateway)
    const s = translate(bookinfoSnapshot({ ...base, envoyFilters: globalFilters() }), sidecarProxy('productpage-v1'));
    expect(s.clusters.some((c) => c.name === 'rate_limit_cluster')).toBe(false);
  });

  it('local rate limit on app: productpage: first on the inbound HCM only (INSERT_BEFORE without subFilter), other workloads untouched', () => {
    const snapshot = bookinfoSnapshot({ envoyFilters: filters([localFilter('filter-local-ratelimit-svc')]) });
    for (const interception of ['REDIRECT', 'NONE'] as const) {
      const r = translate(snapshot, sidecarProxy('productpage-v1', { interception }));
      const inbound = r.listeners.filter((l) => l.traffic_direction === 'INBOUND');
      expect(inbound.length).toBeGreaterThan(0);
      for (const l of inbound) expect(httpFilters(l)[0]).toBe('filter-local-ratelimit-svc');
      for (const l of r.listeners.filter((x) => x.traffic_direction === 'OUTBOUND')) expect(httpFilters(l)).not.toContain('filter-local-ratelimit-svc');
    }
    expect(JSON.stringify(translate(snapshot, sidecarProxy('reviews-v1')))).not.toContain('local_ratelimit');
  });

  it("applies in istiod's order: priority, then the root namespace's, then creation time; the memoising translator agrees", () => {
    const snapshot = bookinfoSnapshot({
      envoyFilters: filters([
        localFilter('a-late', {}, 'default'),
        localFilter('b-root'),
        localFilter('c-prio', { priority: -1 }, 'default'),
      ]),
    });
    const proxy = sidecarProxy('productpage-v1');
    const inbound = (x: ReturnType<typeof translate>): string[] => httpFilters(x.listeners.find((l) => l.traffic_direction === 'INBOUND')).slice(0, 3);
    // each INSERT_BEFORE without subFilter goes first: the last applied ends up first
    expect(inbound(translate(snapshot, proxy))).toEqual(['a-late', 'b-root', 'c-prio']);
    expect(inbound(createTranslator()(snapshot, proxy))).toEqual(['a-late', 'b-root', 'c-prio']);
  });

  it('HTTP_ROUTE MERGE adds route rate_limits and a per-route local bucket on the inbound route only', () => {
    const patch = {
      applyTo: 'HTTP_ROUTE',
      match: { context: 'SIDECAR_INBOUND', routeConfiguration: { vhost: { name: 'inbound|http|9080', route: { action: 'ANY' } } } },
      patch: { operation: 'MERGE', value: { route: { rate_limits: [{ actions: [{ remote_address: {} }] }] } } },
    };
    const ef = { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'r', namespace: 'default' }, spec: { configPatches: [patch] } };
    const r = translate(bookinfoSnapshot({ envoyFilters: filters([ef]) }), sidecarProxy('productpage-v1', { interception: 'NONE' }));
    const inbound = hcms(r.listeners.find((l) => l.traffic_direction === 'INBOUND') as Listener)[0]?.route_config;
    expect(inbound?.virtual_hosts?.[0]?.routes?.[0]?.route?.rate_limits).toEqual([{ actions: [{ remote_address: {} }] }]);
    expect(JSON.stringify(r.routes)).not.toContain('rate_limits');
  });
});

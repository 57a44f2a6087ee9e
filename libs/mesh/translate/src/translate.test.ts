import type { MeshSnapshot } from '@trellis/mesh-api';
import { simulate, translate, type HttpConnectionManager, type Listener } from './index';
import {
  bookinfoGateway,
  bookinfoSnapshot,
  bookinfoVirtualService,
  destinationRuleAll,
  GATEWAY_PROXY,
  reviewsTestV2,
  sidecarProxy,
  virtualServiceAllV1,
  WORKLOADS,
} from './testing/bookinfo';

const hcm = (l: Listener | undefined, i = 0): HttpConnectionManager | undefined => l?.filter_chains?.[i]?.filters?.[0]?.typed_config as HttpConnectionManager | undefined;
const byName = (ls: readonly Listener[], name: string) => ls.find((l) => l.name === name);

describe('sidecar listeners', () => {
  it('REDIRECT: per-port outbound, virtualOutbound 0.0.0.0:15001, virtualInbound 0.0.0.0:15006', () => {
    const r = translate(bookinfoSnapshot(), sidecarProxy('reviews-v1'));
    expect(r.listeners.map((l) => l.name)).toEqual(['0.0.0.0_9080', 'virtualInbound', 'virtualOutbound']);
    const out = byName(r.listeners, '0.0.0.0_9080');
    expect(out).toMatchObject({ bind_to_port: { value: false }, traffic_direction: 'OUTBOUND', address: { socket_address: { address: '0.0.0.0', port_value: 9080 } } });
    expect(hcm(out)).toMatchObject({
      '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      rds: { route_config_name: '9080', config_source: { ads: {}, resource_api_version: 'V3' } },
      http_filters: [{ name: 'istio.metadata_exchange' }, { name: 'envoy.filters.http.fault' }, { name: 'istio.stats' }, { name: 'envoy.filters.http.router' }],
      generate_request_id: { value: true },
      max_request_headers_kb: { value: 60 },
    });
    expect(byName(r.listeners, 'virtualOutbound')).toMatchObject({ address: { socket_address: { address: '0.0.0.0', port_value: 15001 } }, use_original_dst: { value: true } });
    const inbound = byName(r.listeners, 'virtualInbound');
    expect(inbound).toMatchObject({ address: { socket_address: { address: '0.0.0.0', port_value: 15006 } }, traffic_direction: 'INBOUND' });
    expect(inbound?.filter_chains?.[0]?.filter_chain_match).toEqual({ destination_port: { value: 9080 } });
    expect(hcm(inbound)?.route_config).toEqual({
      name: 'inbound|9080||',
      virtual_hosts: [{ name: 'inbound|http|9080', domains: ['*'], routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster: 'inbound|9080||', timeout: { seconds: 0, nanos: 0 } } }] }],
      validate_clusters: { value: false },
    });
    expect(simulate(r, { listener: 'virtualInbound', host: 'reviews:9080', port: 9080, path: '/reviews/0' }).cluster).toBe('inbound|9080||');
  });

  it('inbound services: every service of the namespace whose whole selector the workload matches, whichever label it is indexed by', () => {
    const base = bookinfoSnapshot();
    const svc = (name: string, selector: Record<string, string>, namespace = 'default') => ({
      ...base.services[0]!, name, namespace, hostname: `${name}.${namespace}.svc.cluster.local`, selector,
    });
    const services = [
      ...base.services,
      svc('by-version', { version: 'v2' }),
      svc('app-and-version', { app: 'reviews', version: 'v2' }),
      svc('wrong-version', { app: 'reviews', version: 'v3' }),
      svc('zzz-other-ns', { app: 'reviews' }, 'other'),
      svc('no-selector', {}),
    ];
    const r = translate({ ...base, services }, sidecarProxy('reviews-v2'));
    const inbound = r.clusters.find((x) => x.name === 'inbound|9080||');
    const names = (inbound?.metadata?.filter_metadata?.['istio']?.['services'] as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(['app-and-version', 'by-version', 'reviews']);
  });

  it('inbound cluster: STATIC, app endpoint default 127.0.0.1:<port>', () => {
    const r = translate(bookinfoSnapshot(), sidecarProxy('reviews-v1'));
    const c = r.clusters.find((x) => x.name === 'inbound|9080||');
    expect(c).toMatchObject({ type: 'STATIC', metadata: { filter_metadata: { istio: { services: [{ host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' }] } } } });
    expect(c?.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address).toEqual({ address: '127.0.0.1', port_value: 9080 });
    expect(r.clusters.map((x) => x.name)).toEqual(expect.arrayContaining(['BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughCluster']));
  });

  it('NONE (local mode): virtualOutbound on the pod IP, inbound <podIP>_<port> listeners, appEndpoints honoured', () => {
    const workloads = WORKLOADS.map((w) => (w.name.startsWith('ratings-v1') ? { ...w, address: '127.0.0.13', ports: { '9080': 41013 } } : w));
    const snapshot: MeshSnapshot = { ...bookinfoSnapshot(), workloads };
    const proxy = sidecarProxy('ratings-v1', { interception: 'NONE', ipAddress: '127.0.0.13', appEndpoints: { '9080': '127.0.0.1:52000' } });
    const r = translate(snapshot, proxy);
    expect(r.listeners.map((l) => l.name)).toEqual(['0.0.0.0_9080', '127.0.0.13_41013', 'virtualOutbound']);
    expect(byName(r.listeners, 'virtualOutbound')?.address).toEqual({ socket_address: { address: '127.0.0.13', port_value: 15001 } });
    const inbound = byName(r.listeners, '127.0.0.13_41013');
    expect(inbound?.address).toEqual({ socket_address: { address: '127.0.0.13', port_value: 41013 } });
    expect(inbound?.bind_to_port).toBeUndefined();
    expect(hcm(inbound)?.route_config?.virtual_hosts?.[0]?.routes?.[0]?.route?.cluster).toBe('inbound|9080||');
    const c = r.clusters.find((x) => x.name === 'inbound|9080||');
    expect(c?.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address).toEqual({ address: '127.0.0.1', port_value: 52000 });
    const cla = r.endpoints.find((e) => e.cluster_name === 'outbound|9080||ratings.default.svc.cluster.local');
    expect(cla?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address).toEqual({ address: '127.0.0.13', port_value: 41013 });
  });

  it('finds its workload by IP when the name is unknown', () => {
    const proxy = sidecarProxy('details-v1', { workloadName: 'unknown' });
    expect(translate(bookinfoSnapshot(), proxy).clusters.map((c) => c.name)).toContain('inbound|9080||');
  });
});

describe('determinism', () => {
  const config = { destinationRules: destinationRuleAll, virtualServices: [...virtualServiceAllV1, reviewsTestV2, bookinfoVirtualService], gateways: [bookinfoGateway] };
  it('same input → deep-equal output, independent of input order', () => {
    const a = bookinfoSnapshot(config);
    const b: MeshSnapshot = {
      ...a,
      services: [...a.services].reverse(),
      workloads: [...a.workloads].reverse(),
      destinationRules: [...a.destinationRules].reverse(),
      gateways: [...a.gateways],
    };
    for (const proxy of [sidecarProxy('productpage-v1'), sidecarProxy('reviews-v2'), GATEWAY_PROXY]) {
      expect(JSON.stringify(translate(b, proxy))).toEqual(JSON.stringify(translate(a, proxy)));
      expect(translate(a, proxy)).toEqual(translate(a, proxy));
    }
  });
  it('does not mutate the snapshot', () => {
    const snap = bookinfoSnapshot(config);
    const before = JSON.stringify(snap);
    translate(snap, sidecarProxy('productpage-v1'));
    translate(snap, GATEWAY_PROXY);
    expect(JSON.stringify(snap)).toBe(before);
  });
});

describe('outboundTrafficPolicy', () => {
  it('REGISTRY_ONLY (root-namespace Sidecar) blocks unknown hosts; known hosts still route', () => {
    const snap = bookinfoSnapshot({
      sidecars: [{ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'istio-system' }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } }],
    });
    const r = translate(snap, sidecarProxy('productpage-v1'));
    expect(simulate(r, { host: 'example.com', port: 9080, path: '/' })).toMatchObject({ virtualHost: 'block_all', directResponse: { status: 502 } });
    expect(simulate(r, { host: 'reviews', port: 9080, path: '/' }).cluster).toBe('outbound|9080||reviews.default.svc.cluster.local');
    expect(hcm(byName(r.listeners, 'virtualOutbound'))?.route_config?.virtual_hosts?.[0]?.routes?.[0]?.route?.cluster).toBe('BlackHoleCluster');
  });

  it('meshConfig.outboundTrafficPolicy.mode REGISTRY_ONLY is the default; a Sidecar ALLOW_ANY overrides it', () => {
    const mesh = { ...bookinfoSnapshot({}), meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' as const } } };
    expect(simulate(translate(mesh, sidecarProxy('productpage-v1')), { host: 'example.com', port: 9080, path: '/' })).toMatchObject({ virtualHost: 'block_all', directResponse: { status: 502 } });
    expect(translate(mesh, GATEWAY_PROXY).routes.some((rc) => rc.virtual_hosts?.some((v) => v.name === 'block_all'))).toBe(false);
    const allow = bookinfoSnapshot({
      sidecars: [{ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'istio-system' }, spec: { outboundTrafficPolicy: { mode: 'ALLOW_ANY' } } }],
    });
    const overridden = translate({ ...allow, meshConfig: mesh.meshConfig }, sidecarProxy('productpage-v1'));
    expect(simulate(overridden, { host: 'example.com', port: 9080, path: '/' }).virtualHost).toBe('allow_any');
  });
});

import type { DestinationRule, MeshService, MeshSnapshot, ServiceEntry, Sidecar, VirtualService } from '@trellis/mesh-api';
import { createTranslator, translate, type XdsResources } from './index';
import { bookinfoSnapshot, cluster, GATEWAY_PROXY, SERVICES, sidecarProxy } from './testing/bookinfo';

/** Istio's scoping: Sidecar egress.hosts and exportTo (Service annotation, VS / DR / SE) limit what a proxy receives. */
const meta = (name: string, namespace: string) => ({ name, namespace });
const sidecar = (namespace: string, hosts: string[], extra: Partial<Sidecar['spec']> = {}): Sidecar => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Sidecar',
  metadata: meta('default', namespace),
  spec: { egress: [{ hosts }], ...extra },
});
const httpbin: MeshService = {
  name: 'httpbin', namespace: 'foo', hostname: 'httpbin.foo.svc.cluster.local',
  ports: [{ name: 'http', port: 8000, targetPort: 80, protocol: 'HTTP' }], selector: { app: 'httpbin' },
};
const clustersOf = (r: XdsResources): string[] => r.clusters.map((c) => c.name ?? '').filter((n) => n.startsWith('outbound|'));
const vhostsOf = (r: XdsResources, route: string): string[] => (r.routes.find((x) => x.name === route)?.virtual_hosts ?? []).map((v) => v.name ?? '');
const snap = (extra: Partial<MeshSnapshot> = {}, services: MeshService[] = [...SERVICES, httpbin]): MeshSnapshot => ({ ...bookinfoSnapshot(extra), services });

describe('Sidecar egress.hosts', () => {
  it('no Sidecar: every visible service; ./* keeps the own namespace only (clusters, routes, listeners, endpoints)', () => {
    expect(clustersOf(translate(snap(), sidecarProxy('productpage-v1')))).toContain('outbound|8000||httpbin.foo.svc.cluster.local');
    const r = translate(snap({ sidecars: [sidecar('default', ['./*'])] }), sidecarProxy('productpage-v1'));
    expect(clustersOf(r)).toEqual(['details', 'productpage', 'ratings', 'reviews'].map((n) => cluster(n)));
    expect(r.routes.map((x) => x.name)).toEqual(['9080']);
    expect(r.listeners.map((l) => l.name)).not.toContain('0.0.0.0_8000');
    expect(r.endpoints.map((e) => e.cluster_name)).not.toContain('outbound|8000||httpbin.foo.svc.cluster.local');
  });

  it('namespace/host entries: exact hosts, other namespaces, ~ imports nothing; the root-namespace Sidecar is the default', () => {
    const exact = translate(snap({ sidecars: [sidecar('default', ['./reviews.default.svc.cluster.local', 'foo/*'])] }), sidecarProxy('productpage-v1'));
    expect(clustersOf(exact)).toEqual(['outbound|8000||httpbin.foo.svc.cluster.local', cluster('reviews')]);
    expect(vhostsOf(exact, '9080')).toEqual(['reviews.default.svc.cluster.local:9080', 'allow_any']);
    const none = translate(snap({ sidecars: [sidecar('default', ['~/*'])] }), sidecarProxy('productpage-v1'));
    expect(clustersOf(none)).toEqual([]);
    const root = translate(snap({ sidecars: [sidecar('istio-system', ['istio-system/*', './*'])] }), sidecarProxy('productpage-v1'));
    expect(clustersOf(root)).toEqual(['details', 'productpage', 'ratings', 'reviews'].map((n) => cluster(n)));
  });

  it('the destinations of imported VirtualServices are imported too (Istio infers them); VirtualServices for hosts not imported are not', () => {
    const toHttpbin: VirtualService = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('reviews', 'default'), spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'httpbin.foo.svc.cluster.local' } }] }] } };
    const r = translate(snap({ sidecars: [sidecar('default', ['./reviews.default.svc.cluster.local'])], virtualServices: [toHttpbin] }), sidecarProxy('productpage-v1'));
    expect(clustersOf(r)).toEqual(['outbound|8000||httpbin.foo.svc.cluster.local', cluster('reviews')]);
    const other = translate(snap({ sidecars: [sidecar('default', ['./ratings.default.svc.cluster.local'])], virtualServices: [toHttpbin] }), sidecarProxy('productpage-v1'));
    expect(clustersOf(other)).toEqual([cluster('ratings')]);
  });

  it('a Sidecar never scopes a gateway; REGISTRY_ONLY blocks what is not imported', () => {
    const s = snap({ sidecars: [sidecar('istio-system', ['./*']), sidecar('default', ['./ratings.default.svc.cluster.local'], { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })] });
    expect(clustersOf(translate(s, GATEWAY_PROXY))).toHaveLength(5);
    expect(vhostsOf(translate(s, sidecarProxy('reviews-v1')), '9080')).toEqual(['ratings.default.svc.cluster.local:9080', 'block_all']);
  });

  it('a workload-selected Sidecar applies to its workload only, and the memoising translator keeps them apart', () => {
    const selected: Sidecar = { ...sidecar('default', ['./ratings.default.svc.cluster.local']), metadata: meta('reviews', 'default'), spec: { workloadSelector: { labels: { app: 'reviews' } }, egress: [{ hosts: ['./ratings.default.svc.cluster.local'] }] } };
    const s = snap({ sidecars: [selected] });
    const memo = createTranslator();
    expect(clustersOf(memo(s, sidecarProxy('reviews-v1')))).toEqual([cluster('ratings')]);
    expect(clustersOf(memo(s, sidecarProxy('productpage-v1')))).toHaveLength(5);
    expect(memo(s, sidecarProxy('reviews-v2'))).toEqual(translate(s, sidecarProxy('reviews-v2')));
  });
});

describe('exportTo', () => {
  const inFoo = (extra: Partial<MeshService>): MeshService => ({ ...httpbin, ...extra });
  it('Service networking.istio.io/exportTo: . = own namespace, ~ = nobody, names; meshConfig.defaultServiceExportTo when unset', () => {
    const seen = (svc: MeshService, s: Partial<MeshSnapshot> = {}) => clustersOf(translate(snap(s, [...SERVICES, svc]), sidecarProxy('productpage-v1'))).some((c) => c.includes('httpbin'));
    expect(seen(inFoo({ exportTo: ['.'] }))).toBe(false);
    expect(seen(inFoo({ exportTo: ['~'] }))).toBe(false);
    expect(seen(inFoo({ exportTo: ['bar', 'default'] }))).toBe(true);
    expect(seen(inFoo({}), { meshConfig: { defaultServiceExportTo: ['.'] } })).toBe(false);
    expect(seen(inFoo({ exportTo: ['*'] }), { meshConfig: { defaultServiceExportTo: ['.'] } })).toBe(true);
  });

  it('VirtualService, DestinationRule and ServiceEntry exportTo (and their mesh defaults)', () => {
    const vs: VirtualService = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('reviews', 'default'), spec: { hosts: ['reviews'], exportTo: ['foo'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] } };
    const routeCluster = (s: MeshSnapshot) => {
      const vh = translate(s, sidecarProxy('productpage-v1')).routes.find((x) => x.name === '9080')?.virtual_hosts?.find((v) => v.name === 'reviews.default.svc.cluster.local:9080');
      return vh?.routes?.[0]?.route?.cluster;
    };
    expect(routeCluster(snap({ virtualServices: [vs] }))).toBe(cluster('reviews'));
    expect(routeCluster(snap({ virtualServices: [{ ...vs, spec: { ...vs.spec, exportTo: ['.'] } }] }))).toBe(cluster('reviews', 'v2'));
    const { exportTo: _unset, ...noExport } = vs.spec;
    expect(routeCluster(snap({ virtualServices: [{ ...vs, spec: noExport }], meshConfig: { defaultVirtualServiceExportTo: ['foo'] } }))).toBe(cluster('reviews'));
    const dr: DestinationRule = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta('reviews', 'default'), spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } };
    const subsets = (s: MeshSnapshot) => clustersOf(translate(s, sidecarProxy('productpage-v1'))).filter((c) => c.includes('|v1|'));
    expect(subsets(snap({ destinationRules: [dr] }))).toEqual([cluster('reviews', 'v1')]);
    expect(subsets(snap({ destinationRules: [dr], meshConfig: { defaultDestinationRuleExportTo: ['foo'] } }))).toEqual([]);
    const se: ServiceEntry = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta('ext', 'foo'), spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' } };
    const ext = (s: MeshSnapshot) => clustersOf(translate(s, sidecarProxy('productpage-v1'))).some((c) => c.includes('api.example.com'));
    expect(ext(snap({ serviceEntries: [se] }))).toBe(true);
    expect(ext(snap({ serviceEntries: [{ ...se, spec: { ...se.spec, exportTo: ['.'] } }] }))).toBe(false);
    expect(ext(snap({ serviceEntries: [se], meshConfig: { defaultServiceExportTo: ['.'] } }))).toBe(false);
  });
});

import type { AuthorizationPolicy, AuthorizationPolicySpec, Gateway, MeshService, MeshSnapshot, ProxyInfo, VirtualService, WorkloadInstance } from '@trellis/mesh-api';
import type { FilterChain, HttpConnectionManager, Listener, XdsResources } from '@trellis/mesh-envoy';
import { createTranslator, translate } from '../index';
import { bookinfoSnapshot, GATEWAY_PROXY, NS, sidecarProxy } from '../testing/bookinfo';

/** Where the security filters land: inbound HCMs and tcp_proxy chains, gateway listeners; never outbound. */

const ap = (name: string, spec: AuthorizationPolicySpec, namespace = NS): AuthorizationPolicy => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name, namespace },
  spec,
});
const denyDelete = ap('deny-delete', { action: 'DENY', selector: { matchLabels: { app: 'reviews', version: 'v2' } }, rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] });
const allowAll = ap('allow-all', { rules: [{}] });

const mysql: MeshService = {
  name: 'mysqldb',
  namespace: NS,
  hostname: `mysqldb.${NS}.svc.cluster.local`,
  ports: [{ name: 'tcp', port: 3306, targetPort: 3306, protocol: 'TCP' }],
  selector: { app: 'mysqldb' },
};
const mysqlPod: WorkloadInstance = { name: 'mysqldb-v1-abc', namespace: NS, address: '10.0.0.30', labels: { app: 'mysqldb', version: 'v1' }, serviceAccount: 'mysqldb', sidecar: true, ready: true };
const mysqlProxy = sidecarProxy('ratings-v1', { id: 'sidecar~10.0.0.30~mysqldb-v1-abc.default~default.svc.cluster.local', ipAddress: '10.0.0.30', workloadName: mysqlPod.name, labels: mysqlPod.labels });

function snapshotWith(policies: AuthorizationPolicy[], extra: Partial<MeshSnapshot> = {}): MeshSnapshot {
  const base = bookinfoSnapshot({ authorizationPolicies: policies, ...extra });
  return { ...base, services: [...base.services, mysql], workloads: [...base.workloads, mysqlPod] };
}

const hcm = (c: FilterChain | undefined): HttpConnectionManager | undefined => c?.filters?.find((f) => f.name === 'envoy.filters.network.http_connection_manager')?.typed_config as HttpConnectionManager | undefined;
const httpFilterNames = (c: FilterChain | undefined): string[] => (hcm(c)?.http_filters ?? []).map((f) => f.name ?? '');
const networkFilterNames = (c: FilterChain | undefined): string[] => (c?.filters ?? []).map((f) => f.name ?? '');
const listener = (r: XdsResources, name: string): Listener | undefined => r.listeners.find((l) => l.name === name);

describe('security filters wired into listeners', () => {
  it('no policy: inbound chains are as before (router only)', () => {
    const r = translate(snapshotWith([]), sidecarProxy('reviews-v2'));
    for (const c of listener(r, 'virtualInbound')?.filter_chains ?? []) {
      if (hcm(c) !== undefined) expect(httpFilterNames(c)).toEqual(['istio.metadata_exchange', 'istio.stats', 'envoy.filters.http.router']);
    }
  });

  it('sidecar inbound: every HCM chain (per port and passthrough) gets rbac before the router; the catch-all tcp chain gets network rbac before tcp_proxy', () => {
    const r = translate(snapshotWith([denyDelete, allowAll]), sidecarProxy('reviews-v2'));
    const chains = listener(r, 'virtualInbound')?.filter_chains ?? [];
    const http = chains.filter((c) => hcm(c) !== undefined);
    expect(http.map((c) => c.name)).toEqual(['0.0.0.0_9080', 'InboundPassthroughCluster']);
    for (const c of http) expect(httpFilterNames(c)).toEqual(['istio.metadata_exchange', 'envoy.filters.http.rbac', 'envoy.filters.http.rbac', 'istio.stats', 'envoy.filters.http.router']);
    const tcp = chains.find((c) => c.name === 'virtualInbound-catchall-tcp');
    expect(networkFilterNames(tcp)).toEqual(['istio.metadata_exchange', 'envoy.filters.network.rbac', 'envoy.filters.network.rbac', 'istio.stats', 'envoy.filters.network.tcp_proxy']);
  });

  it('outbound listeners never carry them; a workload the selector misses gets only the namespace policy', () => {
    const r = translate(snapshotWith([denyDelete, allowAll]), sidecarProxy('reviews-v1'));
    for (const l of r.listeners.filter((x) => x.traffic_direction === 'OUTBOUND')) {
      for (const c of l.filter_chains ?? []) {
        expect(httpFilterNames(c).filter((n) => n.includes('rbac'))).toEqual([]);
        expect(networkFilterNames(c).filter((n) => n.includes('rbac'))).toEqual([]);
      }
    }
    const inbound = listener(r, 'virtualInbound')?.filter_chains?.find((c) => c.name === '0.0.0.0_9080');
    expect(httpFilterNames(inbound)).toEqual(['istio.metadata_exchange', 'envoy.filters.http.rbac', 'istio.stats', 'envoy.filters.http.router']);
  });

  it('a TCP workload: network rbac (stat_prefix tcp.) before the inbound tcp_proxy; NONE interception too', () => {
    const snapshot = snapshotWith([allowAll]);
    const chain = listener(translate(snapshot, mysqlProxy), 'virtualInbound')?.filter_chains?.find((c) => c.name === '0.0.0.0_3306');
    expect(networkFilterNames(chain)).toEqual(['istio.metadata_exchange', 'envoy.filters.network.rbac', 'istio.stats', 'envoy.filters.network.tcp_proxy']);
    expect(chain?.filters?.[1]?.typed_config).toMatchObject({ stat_prefix: 'tcp.', rules: { action: 'ALLOW' } });
    const direct = listener(translate(snapshot, { ...mysqlProxy, interception: 'NONE' }), '10.0.0.30_3306');
    expect(networkFilterNames(direct?.filter_chains?.[0])).toEqual(['istio.metadata_exchange', 'envoy.filters.network.rbac', 'istio.stats', 'envoy.filters.network.tcp_proxy']);
  });

  it('gateways are workloads: a root-namespace policy selecting istio: ingressgateway lands after istio.alpn, before fault', () => {
    const gw: Gateway = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'bookinfo-gateway', namespace: NS },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    };
    const policy = ap('ingress', { action: 'DENY', selector: { matchLabels: { istio: 'ingressgateway' } }, rules: [{ from: [{ source: { ipBlocks: ['1.2.3.4'] } }] }] }, 'istio-system');
    const r = translate(snapshotWith([policy], { gateways: [gw] }), GATEWAY_PROXY, { mtls: true });
    expect(httpFilterNames(listener(r, '0.0.0.0_8080')?.filter_chains?.[0])).toEqual(['istio.metadata_exchange', 'istio.alpn', 'envoy.filters.http.rbac', 'envoy.filters.http.fault', 'istio.stats', 'envoy.filters.http.router']);
    const other: ProxyInfo = { ...GATEWAY_PROXY, labels: { istio: 'egressgateway' } };
    const gwOther: Gateway = { ...gw, spec: { ...gw.spec, selector: { istio: 'egressgateway' } } };
    const r2 = translate(snapshotWith([policy], { gateways: [gwOther] }), other, { mtls: true });
    expect(httpFilterNames(listener(r2, '0.0.0.0_8080')?.filter_chains?.[0])).toEqual(['istio.metadata_exchange', 'istio.alpn', 'envoy.filters.http.fault', 'istio.stats', 'envoy.filters.http.router']);
  });

  it('gateway TCP servers: network rbac before the tcp_proxy', () => {
    const gw: Gateway = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'tcp-gw', namespace: NS },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] }] },
    };
    const vs: VirtualService = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'tcp', namespace: NS },
      spec: { hosts: ['*'], gateways: ['tcp-gw'], tcp: [{ route: [{ destination: { host: 'mysqldb', port: { number: 3306 } } }] }] },
    };
    const policy = ap('gw-allow', { selector: { matchLabels: { istio: 'ingressgateway' } }, rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }] }, 'istio-system');
    const r = translate(snapshotWith([policy], { gateways: [gw], virtualServices: [vs] }), GATEWAY_PROXY);
    expect(networkFilterNames(listener(r, '0.0.0.0_31400')?.filter_chains?.[0])).toEqual(['envoy.filters.network.rbac', 'istio.stats', 'envoy.filters.network.tcp_proxy']);
  });

  it('the memoising translator keeps workloads with equal ports but different labels apart', () => {
    const snapshot = snapshotWith([denyDelete]);
    const t = createTranslator();
    const v1 = t(snapshot, sidecarProxy('reviews-v1'));
    const v2 = t(snapshot, sidecarProxy('reviews-v2'));
    const names = (r: XdsResources): string[] => httpFilterNames(listener(r, 'virtualInbound')?.filter_chains?.find((c) => c.name === '0.0.0.0_9080'));
    expect(names(v1)).toEqual(['istio.metadata_exchange', 'istio.stats', 'envoy.filters.http.router']);
    expect(names(v2)).toEqual(['istio.metadata_exchange', 'envoy.filters.http.rbac', 'istio.stats', 'envoy.filters.http.router']);
    expect(v2).toEqual(translate(snapshot, sidecarProxy('reviews-v2')));
  });
});

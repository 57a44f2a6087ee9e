import type { MeshService, MeshSnapshot, WorkloadInstance } from '@trellis/mesh-api';
import type { FilterChain, XdsResources } from '@trellis/mesh-envoy';
import { GATEWAY_PROXY, NS, bookinfoSnapshot, destinationRuleAll, sidecarProxy } from '../testing/bookinfo';
import { translate } from '../translate';
import { tcpClusterMetadataExchange, tcpListenerMetadataExchange } from './tcp-metadata-exchange';

/** ratings-v2-mysql → mysqldb, Bookinfo's TCP edge: the exchange where istiod puts it. */
const mysql: MeshService = {
  name: 'mysqldb',
  namespace: NS,
  hostname: `mysqldb.${NS}.svc.cluster.local`,
  ports: [{ name: 'tcp', port: 3306, targetPort: 3306, protocol: 'TCP' }],
  selector: { app: 'mysqldb' },
};
const mysqlPod: WorkloadInstance = { name: 'mysqldb-v1-abc', namespace: NS, address: '10.0.0.30', labels: { app: 'mysqldb', version: 'v1' }, serviceAccount: 'mysqldb', sidecar: true, ready: true };
const mysqlProxy = sidecarProxy('ratings-v1', { id: 'sidecar~10.0.0.30~mysqldb-v1-abc.default~default.svc.cluster.local', ipAddress: '10.0.0.30', workloadName: mysqlPod.name, labels: mysqlPod.labels });

function snapshot(): MeshSnapshot {
  const base = bookinfoSnapshot();
  return { ...base, services: [...base.services, mysql], workloads: [...base.workloads, mysqlPod] };
}

const names = (c: FilterChain | undefined): string[] => (c?.filters ?? []).map((f) => f.name ?? '');
const chains = (r: XdsResources, direction: 'INBOUND' | 'OUTBOUND'): FilterChain[] => r.listeners.filter((l) => l.traffic_direction === direction).flatMap((l) => l.filter_chains ?? []);

describe('TCP metadata exchange filters (istiod TCPListenerMx / TCPClusterMx)', () => {
  it("is envoy.tcp.metadataexchange.config.MetadataExchange {protocol: istio-peer-exchange, enable_discovery} in a TypedStruct, named istio.metadata_exchange", () => {
    const typed = { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: 'type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange', value: { protocol: 'istio-peer-exchange', enable_discovery: true } };
    expect(tcpListenerMetadataExchange()).toEqual({ name: 'istio.metadata_exchange', typed_config: typed });
    expect(tcpClusterMetadataExchange()).toEqual({ name: 'istio.metadata_exchange', typed_config: typed });
  });

  it('first on every inbound TCP chain (per port, passthrough; REDIRECT and NONE); never on HTTP chains or outbound listeners', () => {
    const r = translate(snapshot(), mysqlProxy);
    const inbound = chains(r, 'INBOUND');
    const tcp = inbound.filter((c) => names(c).includes('envoy.filters.network.tcp_proxy'));
    expect(tcp.map((c) => c.name)).toEqual(expect.arrayContaining(['0.0.0.0_3306', 'virtualInbound-catchall-tcp']));
    for (const c of tcp) expect(names(c)).toEqual(['istio.metadata_exchange', 'istio.stats', 'envoy.filters.network.tcp_proxy']);
    for (const c of inbound.filter((x) => !names(x).includes('envoy.filters.network.tcp_proxy'))) expect(names(c)).not.toContain('istio.metadata_exchange');
    for (const c of chains(r, 'OUTBOUND')) expect(names(c)).not.toContain('istio.metadata_exchange');
    const direct = translate(snapshot(), { ...mysqlProxy, interception: 'NONE' }).listeners.find((l) => l.name === '10.0.0.30_3306');
    expect(names(direct?.filter_chains?.[0])).toEqual(['istio.metadata_exchange', 'istio.stats', 'envoy.filters.network.tcp_proxy']);
  });

  it('in every outbound cluster (subsets too) and PassthroughCluster; not in inbound clusters or BlackHoleCluster', () => {
    const withDr = bookinfoSnapshot({ destinationRules: destinationRuleAll });
    for (const r of [translate(snapshot(), sidecarProxy('ratings-v1')), translate(withDr, sidecarProxy('productpage-v1')), translate(withDr, GATEWAY_PROXY)]) {
      const outbound = r.clusters.filter((c) => c.name?.startsWith('outbound|') === true || c.name === 'PassthroughCluster');
      expect(outbound.length).toBeGreaterThan(3);
      for (const c of outbound) expect(c.filters).toEqual([tcpClusterMetadataExchange()]);
      for (const c of r.clusters.filter((x) => x.name?.startsWith('inbound|') === true || x.name === 'BlackHoleCluster')) expect(c.filters).toBeUndefined();
    }
    const subset = translate(withDr, sidecarProxy('productpage-v1')).clusters.find((c) => c.name === 'outbound|9080|v3|reviews.default.svc.cluster.local');
    expect(subset?.filters).toEqual([tcpClusterMetadataExchange()]);
    const mysqldb = translate(snapshot(), sidecarProxy('ratings-v1')).clusters.find((c) => c.name === 'outbound|3306||mysqldb.default.svc.cluster.local');
    expect(mysqldb?.filters?.[0]?.name).toBe('istio.metadata_exchange');
  });
});

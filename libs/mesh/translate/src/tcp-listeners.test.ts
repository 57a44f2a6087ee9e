import type { MeshService, ServiceEntry, WorkloadInstance } from '@trellis/mesh-api';
import type { Listener } from '@trellis/mesh-envoy';
import { createTranslator, translate } from './index';
import { NS, bookinfoSnapshot, sidecarProxy } from './testing/bookinfo';

/** Sidecar L4: TCP service ports, TCP inbound ports and the catch-all tcp chains of the capture listeners. */
const mysql: MeshService = {
  name: 'mysqldb',
  namespace: NS,
  hostname: `mysqldb.${NS}.svc.cluster.local`,
  ports: [{ name: 'tcp', port: 3306, targetPort: 3306, protocol: 'TCP' }],
  selector: { app: 'mysqldb' },
  address: '10.96.0.33',
};
const mysqlPod: WorkloadInstance = { name: 'mysqldb-v1-abc', namespace: NS, address: '10.0.0.30', labels: { app: 'mysqldb', version: 'v1' }, serviceAccount: 'mysqldb', sidecar: true, ready: true };

const tcpTarget = (l: Listener | undefined, chain = 0): unknown => l?.filter_chains?.[chain]?.filters?.find((f) => f.name === 'envoy.filters.network.tcp_proxy')?.typed_config;

describe('sidecar TCP listeners (REDIRECT capture)', () => {
  const base = bookinfoSnapshot();
  const snapshot = { ...base, services: [...base.services, mysql], workloads: [...base.workloads, mysqlPod] };

  it('a TCP service port with a VIP gets <vip>_<port> (not bound) with a tcp_proxy to its outbound cluster', () => {
    const r = translate(snapshot, sidecarProxy('ratings-v1'));
    const l = r.listeners.find((x) => x.name === '10.96.0.33_3306');
    expect(l?.bind_to_port).toEqual({ value: false });
    expect(tcpTarget(l)).toMatchObject({ stat_prefix: 'outbound|3306||mysqldb.default.svc.cluster.local', cluster: 'outbound|3306||mysqldb.default.svc.cluster.local' });
    expect(r.clusters.map((c) => c.name)).toContain('outbound|3306||mysqldb.default.svc.cluster.local');
  });

  it('the TCP workload gets a tcp_proxy chain for its port on virtualInbound; both capture listeners end with a catch-all tcp chain', () => {
    const proxy = sidecarProxy('ratings-v1', { id: 'sidecar~10.0.0.30~mysqldb-v1-abc.default~default.svc.cluster.local', ipAddress: '10.0.0.30', workloadName: 'mysqldb-v1-abc', labels: mysqlPod.labels });
    const r = translate(snapshot, proxy);
    const inbound = r.listeners.find((x) => x.name === 'virtualInbound');
    const names = inbound?.filter_chains?.map((c) => c.name);
    expect(names).toEqual(['0.0.0.0_3306', 'InboundPassthroughCluster', 'virtualInbound-catchall-tcp']);
    expect(tcpTarget(inbound, 0)).toMatchObject({ cluster: 'inbound|3306||' });
    expect(tcpTarget(inbound, 2)).toMatchObject({ cluster: 'InboundPassthroughCluster' });
    const outbound = r.listeners.find((x) => x.name === 'virtualOutbound');
    expect(outbound?.filter_chains?.map((c) => c.name)).toEqual(['PassthroughCluster', 'virtualOutbound-catchall-tcp']);
  });

  it('a TCP ServiceEntry with an address gets <address>_<port> to its cluster; no address gets none; a CIDR gets a prefix_ranges chain on 0.0.0.0_<port>', () => {
    const se = (name: string, addresses: string[]): ServiceEntry => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name, namespace: NS },
      spec: { hosts: [`${name}.example.com`], addresses, ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'STATIC', location: 'MESH_EXTERNAL', endpoints: [{ address: '192.0.2.10' }] },
    });
    const r = translate({ ...snapshot, serviceEntries: [se('db', ['192.0.2.50']), se('range', ['192.0.2.0/28']), se('bare', [])] }, sidecarProxy('ratings-v1'));
    const names = r.listeners.map((l) => l.name).filter((n) => n?.endsWith('_5432'));
    expect(names).toEqual(['0.0.0.0_5432', '192.0.2.50_5432']);
    const cidr = r.listeners.find((l) => l.name === '0.0.0.0_5432');
    expect(cidr?.filter_chains?.map((c) => [c.filter_chain_match?.prefix_ranges, (c.filters?.find((f) => f.name === 'envoy.filters.network.tcp_proxy')?.typed_config as { cluster?: string }).cluster])).toEqual([
      [[{ address_prefix: '192.0.2.0', prefix_len: { value: 28 } }], 'outbound|5432||range.example.com'],
      [undefined, 'PassthroughCluster'],
    ]);
    expect(tcpTarget(r.listeners.find((l) => l.name === '192.0.2.50_5432'))).toMatchObject({ cluster: 'outbound|5432||db.example.com' });
  });

  it('local mode (interception NONE) has no <vip>_<port> listeners and no catch-all tcp chain', () => {
    const r = translate(snapshot, sidecarProxy('ratings-v1', { interception: 'NONE' }));
    expect(r.listeners.map((l) => l.name)).not.toContain('10.96.0.33_3306');
    expect(r.listeners.find((x) => x.name === 'virtualOutbound')?.filter_chains?.length).toBe(1);
  });
});

describe('sidecar TCP listeners without capture (interception NONE: Sidecar egress bind + captureMode NONE)', () => {
  const base = bookinfoSnapshot();
  const snapshot = { ...base, services: [...base.services, mysql], workloads: [...base.workloads, mysqlPod] };
  const ratingsIp = sidecarProxy('ratings-v1').ipAddress;
  const none = (extra = {}): ReturnType<typeof sidecarProxy> => sidecarProxy('ratings-v1', { interception: 'NONE', appEndpoints: { '9080': `${ratingsIp}:19080` }, ...extra });

  it('binds no privileged port (< 1024: the gateway Service\'s https 443, tcp 31400 still bound), which the user\'s proxy could not bind', () => {
    const gatewaySvc: MeshService = {
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
      hostname: 'istio-ingressgateway.istio-system.svc.cluster.local',
      ports: [
        { name: 'https', port: 443, targetPort: 8443, protocol: 'HTTPS' },
        { name: 'tcp', port: 31400, targetPort: 31400, protocol: 'TCP' },
      ],
      selector: { istio: 'ingressgateway' },
      address: '10.96.0.99',
    };
    const names = translate({ ...snapshot, services: [...snapshot.services, gatewaySvc] }, none()).listeners.map((l) => l.name);
    expect(names).toContain(`${ratingsIp}_31400`);
    expect(names).not.toContain(`${ratingsIp}_443`);
  });

  it('binds <podIP>_<port> on the pod address with one tcp_proxy to outbound|<port>||<host>', () => {
    const r = translate(snapshot, none());
    const l = r.listeners.find((x) => x.name === `${ratingsIp}_3306`);
    expect(l).toEqual({
      name: `${ratingsIp}_3306`,
      address: { socket_address: { address: ratingsIp, port_value: 3306 } },
      traffic_direction: 'OUTBOUND',
      filter_chains: [
        {
          filters: [
            { name: 'istio.stats', typed_config: { '@type': 'type.googleapis.com/stats.PluginConfig' } },
            {
              name: 'envoy.filters.network.tcp_proxy',
              typed_config: {
                '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
                stat_prefix: 'outbound|3306||mysqldb.default.svc.cluster.local',
                cluster: 'outbound|3306||mysqldb.default.svc.cluster.local',
              },
            },
          ],
        },
      ],
    });
    expect(l?.bind_to_port).toBeUndefined();
    // HTTP ports stay on the HTTP proxy port (no <podIP>_9080 outbound); the pod's own 9080 is inbound.
    expect(r.listeners.filter((x) => x.name === `${ratingsIp}_9080`).map((x) => x.traffic_direction)).toEqual(['INBOUND']);
  });

  it("the TCP workload's own port is a bound inbound tcp_proxy to inbound|<port>||, not an outbound listener", () => {
    const proxy = sidecarProxy('ratings-v1', {
      id: 'sidecar~10.0.0.30~mysqldb-v1-abc.default~default.svc.cluster.local',
      ipAddress: '10.0.0.30',
      workloadName: 'mysqldb-v1-abc',
      labels: mysqlPod.labels,
      interception: 'NONE',
      appEndpoints: { '3306': '10.0.0.30:13306' },
    });
    const r = translate(snapshot, proxy);
    const l = r.listeners.filter((x) => x.name === '10.0.0.30_3306');
    expect(l.map((x) => x.traffic_direction)).toEqual(['INBOUND']);
    expect(tcpTarget(l[0])).toMatchObject({ stat_prefix: 'inbound|3306||', cluster: 'inbound|3306||' });
    const cluster = r.clusters.find((c) => c.name === 'inbound|3306||');
    expect(cluster?.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address).toEqual({ socket_address: { address: '10.0.0.30', port_value: 13306 } });
  });

  it("skips ports the pod uses (the app's own port, the proxy's 150xx), ServiceEntries, and gives a shared port to the first host", () => {
    const svc = (name: string, port: number): typeof mysql => ({ ...mysql, name, hostname: `${name}.${NS}.svc.cluster.local`, address: undefined, ports: [{ name: 'tcp', port, targetPort: port, protocol: 'TCP' }] });
    const se: ServiceEntry = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'pg', namespace: NS },
      spec: { hosts: ['pg.example.com'], addresses: ['192.0.2.50'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'STATIC', location: 'MESH_EXTERNAL', endpoints: [{ address: '192.0.2.10' }] },
    };
    const services = [...snapshot.services, svc('zz-db', 3306), svc('app-port', 19080), svc('admin', 15000)];
    const r = translate({ ...snapshot, services, serviceEntries: [se] }, none());
    const bound = r.listeners.filter((l) => l.name?.startsWith(`${ratingsIp}_`) && l.traffic_direction === 'OUTBOUND');
    expect(bound.map((l) => [l.name, (tcpTarget(l) as { cluster: string }).cluster])).toEqual([[`${ratingsIp}_3306`, 'outbound|3306||mysqldb.default.svc.cluster.local']]);
  });

  it('the memoising translator gives the same listeners as translate for NONE sidecars', () => {
    const translator = createTranslator();
    const a = none();
    const b = none({ id: 'sidecar~10.0.0.99~other', ipAddress: '10.0.0.99', workloadName: 'ratings-v1-other', appEndpoints: { '9080': '10.0.0.99:19080' } });
    for (const proxy of [a, b]) expect(translator(snapshot, proxy).listeners).toEqual(translate(snapshot, proxy).listeners);
    expect(translator(snapshot, b).listeners.map((l) => l.name)).toContain('10.0.0.99_3306');
  });
});

import type { ServiceEntry, Sidecar, VirtualService } from '@trellis/mesh-api';
import type { Listener } from '@trellis/mesh-envoy';
import { translate } from './index';
import { NS, bookinfoSnapshot, sidecarProxy } from './testing/bookinfo';

/** Sidecar egress by SNI: TLS ports of ServiceEntries without a VIP (Istio's egress tasks). */
const se = (name: string, hosts: string[], ports: ServiceEntry['spec']['ports'], resolution: 'DNS' | 'NONE' = 'DNS'): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name, namespace: NS },
  spec: { hosts, ports, resolution, location: 'MESH_EXTERNAL' },
});
const https = [{ number: 443, name: 'https', protocol: 'HTTPS' }];
const chainsOf = (l: Listener | undefined): { names?: string[]; cluster: unknown; weighted?: unknown }[] =>
  (l?.filter_chains ?? []).map((c) => {
    const tcp = c.filters?.find((f) => f.name === 'envoy.filters.network.tcp_proxy')?.typed_config as { cluster?: string; weighted_clusters?: unknown };
    return { names: c.filter_chain_match?.server_names, cluster: tcp.cluster, ...(tcp.weighted_clusters !== undefined && { weighted: tcp.weighted_clusters }) };
  });

describe('sidecar TLS listeners (SNI, REDIRECT capture)', () => {
  const base = bookinfoSnapshot();

  it('0.0.0.0_443 with tls_inspector: one chain per external host (services in host order), then the fallthrough to PassthroughCluster', () => {
    const snapshot = { ...base, serviceEntries: [se('google', ['www.google.com'], https), se('wiki', ['*.wikipedia.org'], [{ number: 443, name: 'tls', protocol: 'TLS' }], 'NONE')] };
    const r = translate(snapshot, sidecarProxy('ratings-v1'));
    const l = r.listeners.find((x) => x.name === '0.0.0.0_443');
    expect(l).toMatchObject({ bind_to_port: { value: false }, traffic_direction: 'OUTBOUND' });
    expect(l?.listener_filters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    expect(chainsOf(l)).toEqual([
      { names: ['*.wikipedia.org'], cluster: 'outbound|443||*.wikipedia.org' },
      { names: ['www.google.com'], cluster: 'outbound|443||www.google.com' },
      { names: undefined, cluster: 'PassthroughCluster' },
    ]);
    expect(l?.filter_chains?.at(-1)?.name).toBe('PassthroughFilterChain');
  });

  it('VirtualService tls routes (mesh) claim their sniHosts first, weighted; REGISTRY_ONLY makes the fallthrough a black hole', () => {
    const vs: VirtualService = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'google', namespace: NS },
      spec: {
        hosts: ['www.google.com'],
        tls: [{ match: [{ port: 443, sniHosts: ['www.google.com'] }], route: [{ destination: { host: 'www.google.com', port: { number: 443 } }, weight: 100 }] }],
      },
    };
    const sidecar: Sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: NS }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } };
    const snapshot = { ...base, serviceEntries: [se('google', ['www.google.com'], https)], virtualServices: [...base.virtualServices, vs], sidecars: [sidecar] };
    const chains = chainsOf(translate(snapshot, sidecarProxy('ratings-v1')).listeners.find((x) => x.name === '0.0.0.0_443'));
    expect(chains).toEqual([
      { names: ['www.google.com'], cluster: 'outbound|443||www.google.com' },
      { names: undefined, cluster: 'BlackHoleCluster' },
    ]);
  });

  it('none for a port served as HTTP, for services with a VIP, and in local mode', () => {
    const snapshot = { ...base, serviceEntries: [se('web', ['web.example.com'], [{ number: 9080, name: 'https', protocol: 'HTTPS' }]), se('vip', ['vip.example.com'], https)] };
    snapshot.serviceEntries[1] = { ...snapshot.serviceEntries[1], spec: { ...snapshot.serviceEntries[1].spec, addresses: ['192.0.2.7'] } };
    const names = translate(snapshot, sidecarProxy('ratings-v1')).listeners.map((l) => l.name);
    expect(names).not.toContain('0.0.0.0_443');
    expect(names).toContain('192.0.2.7_443');
    expect(translate({ ...base, serviceEntries: [se('google', ['www.google.com'], https)] }, sidecarProxy('ratings-v1', { interception: 'NONE' })).listeners.map((l) => l.name)).not.toContain('0.0.0.0_443');
  });

  it('the capture listeners keep their HTTP chains only for what an http_inspector would call HTTP', () => {
    const r = translate(base, sidecarProxy('ratings-v1'));
    const outbound = r.listeners.find((x) => x.name === 'virtualOutbound');
    expect(outbound?.filter_chains?.[0]?.filter_chain_match).toEqual({ application_protocols: ['http/1.1', 'h2c'] });
    const inbound = r.listeners.find((x) => x.name === 'virtualInbound');
    expect(inbound?.filter_chains?.find((c) => c.name === 'InboundPassthroughCluster')?.filter_chain_match).toEqual({ application_protocols: ['http/1.1', 'h2c'] });
  });
});

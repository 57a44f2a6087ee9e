import type { MeshService, VirtualService } from '@trellis/mesh-api';
import type { Listener } from '@trellis/mesh-envoy';
import { createTranslator, translate } from './index';
import { NS, bookinfoSnapshot, sidecarProxy } from './testing/bookinfo';

/** Mesh VirtualService `tcp` routes on sidecars (Istio's TCP traffic shifting without a gateway). */
const echo: MeshService = {
  name: 'tcp-echo',
  namespace: NS,
  hostname: `tcp-echo.${NS}.svc.cluster.local`,
  ports: [{ name: 'tcp', port: 9000, targetPort: 9000, protocol: 'TCP' }],
  selector: { app: 'tcp-echo' },
  address: '10.96.0.50',
};
const vs = (name: string, tcp: VirtualService['spec']['tcp'], gateways?: string[]): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: NS, creationTimestamp: `2026-01-01T00:00:0${name.length % 10}Z` },
  spec: { hosts: ['tcp-echo'], ...(gateways && { gateways }), tcp },
});
const to = (subset: string, weight?: number): { destination: { host: string; subset: string; port: { number: number } }; weight?: number } => ({
  destination: { host: 'tcp-echo', subset, port: { number: 9000 } },
  ...(weight !== undefined && { weight }),
});
const tcpOf = (r: { listeners: readonly Listener[] }): unknown => r.listeners.find((l) => l.name === '10.96.0.50_9000')?.filter_chains?.[0]?.filters?.find((f) => f.name === 'envoy.filters.network.tcp_proxy')?.typed_config;

describe('sidecar tcp routes', () => {
  const base = bookinfoSnapshot();
  const withVs = (...v: VirtualService[]): ReturnType<typeof bookinfoSnapshot> => ({ ...base, services: [...base.services, echo], virtualServices: [...base.virtualServices, ...v] });

  it('weighted 80/20 → weighted_clusters on <vip>_<port>', () => {
    const r = translate(withVs(vs('shift', [{ match: [{ port: 9000 }], route: [to('v1', 80), to('v2', 20)] }])), sidecarProxy('ratings-v1'));
    expect(tcpOf(r)).toMatchObject({
      weighted_clusters: { clusters: [{ name: 'outbound|9000|v1|tcp-echo.default.svc.cluster.local', weight: 80 }, { name: 'outbound|9000|v2|tcp-echo.default.svc.cluster.local', weight: 20 }] },
    });
  });

  it('skips routes whose match does not apply (sourceLabels, destinationSubnets, port) and gateway-only VirtualServices', () => {
    const r = translate(
      withVs(
        vs('gw', [{ route: [to('v9')] }], ['tcp-echo-gateway']),
        vs('picky', [
          { match: [{ sourceLabels: { app: 'nobody' } }], route: [to('v3')] },
          { match: [{ destinationSubnets: ['192.0.2.0/24'] }], route: [to('v4')] },
          { match: [{ port: 9999 }], route: [to('v5')] },
          { match: [{ destinationSubnets: ['10.96.0.0/16'] }], route: [to('v2')] },
        ]),
      ),
      sidecarProxy('ratings-v1'),
    );
    expect(tcpOf(r)).toMatchObject({ cluster: 'outbound|9000|v2|tcp-echo.default.svc.cluster.local' });
  });

  it('no route → the service cluster; sourceLabels make the memoised translator label-sensitive', () => {
    expect(tcpOf(translate(withVs(), sidecarProxy('ratings-v1')))).toMatchObject({ cluster: 'outbound|9000||tcp-echo.default.svc.cluster.local' });
    const snapshot = withVs(vs('mine', [{ match: [{ sourceLabels: { app: 'ratings' } }], route: [to('v2')] }]));
    const t = createTranslator();
    expect(tcpOf(t(snapshot, sidecarProxy('reviews-v1')))).toMatchObject({ cluster: 'outbound|9000||tcp-echo.default.svc.cluster.local' });
    expect(tcpOf(t(snapshot, sidecarProxy('ratings-v1')))).toMatchObject({ cluster: 'outbound|9000|v2|tcp-echo.default.svc.cluster.local' });
  });
});

import type { Listener } from '@trellis/mesh-envoy';
import { translate } from './index';
import { WEB_AUTO_POD, bookinfoSnapshot, bookinfoWithAutoPort, sidecarProxy } from './testing/bookinfo';

const snapshot = bookinfoWithAutoPort;
const matchOf = (l: Listener | undefined): unknown[] => (l?.filter_chains ?? []).map((c) => ({ name: c.name, match: c.filter_chain_match, filter: c.filters?.[c.filters.length - 1]?.name }));

describe('auto-detected ports (no protocol declared)', () => {
  it('outbound: <vip>_<port> with http_inspector — HTTP chain (RDS "<port>") for http/1.x and h2c, then the TCP chain; route config "8000" serves the host', () => {
    const r = translate(snapshot(), sidecarProxy('ratings-v1'));
    const l = r.listeners.find((x) => x.name === '10.96.0.40_8000');
    expect(l?.listener_filters?.map((f) => f.name)).toEqual(['envoy.filters.listener.http_inspector']);
    expect(matchOf(l)).toEqual([
      { name: undefined, match: { application_protocols: ['http/1.1', 'h2c'] }, filter: 'envoy.filters.network.http_connection_manager' },
      { name: undefined, match: undefined, filter: 'envoy.filters.network.tcp_proxy' },
    ]);
    expect(r.routes.find((rc) => rc.name === '8000')?.virtual_hosts?.map((v) => v.name)).toContain('web.default.svc.cluster.local:8000');
    expect(r.listeners.map((x) => x.name)).toContain('0.0.0.0_8000');
  });

  it('inbound: virtualInbound gets http_inspector and, for the port, an HTTP chain for HTTP and a TCP chain for the rest', () => {
    const proxy = sidecarProxy('ratings-v1', { id: 'sidecar~10.0.0.40~web-v1-abc.default~default.svc.cluster.local', ipAddress: '10.0.0.40', workloadName: 'web-v1-abc', labels: WEB_AUTO_POD.labels });
    const l = translate(snapshot(), proxy).listeners.find((x) => x.name === 'virtualInbound');
    expect(l?.listener_filters?.map((f) => f.name)).toEqual(['envoy.filters.listener.http_inspector']);
    expect(matchOf(l).slice(0, 2)).toEqual([
      { name: '0.0.0.0_8000', match: { destination_port: { value: 8000 }, application_protocols: ['http/1.1', 'h2c'] }, filter: 'envoy.filters.network.http_connection_manager' },
      { name: '0.0.0.0_8000-tcp', match: { destination_port: { value: 8000 } }, filter: 'envoy.filters.network.tcp_proxy' },
    ]);
  });

  it('declared ports stay as they were: no inspector on virtualInbound for Bookinfo', () => {
    const l = translate(bookinfoSnapshot(), sidecarProxy('ratings-v1')).listeners.find((x) => x.name === 'virtualInbound');
    expect(l?.listener_filters).toBeUndefined();
  });
});

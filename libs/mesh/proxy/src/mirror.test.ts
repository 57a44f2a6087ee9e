import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { send, sleep, startProxy, startUpstream } from './testing/harness';

describe('mirroring and hash policies', () => {
  it('mirrors fire-and-forget with a -shadow host, and hashes on a header (RING_HASH)', async () => {
    const [a, b, shadow] = await Promise.all([startUpstream('a'), startUpstream('b'), startUpstream('shadow')]);
    const p = await startProxy({
      clusters: [edsCluster(svc('httpbin', 'v1'), { lb_policy: 'RING_HASH' }), edsCluster(svc('httpbin', 'v2'))],
      endpoints: [assignment(svc('httpbin', 'v1'), [{ port: a.port }, { port: b.port }]), assignment(svc('httpbin', 'v2'), [{ port: shadow.port }])],
      listeners: [httpListener('0.0.0.0_8000', 8000, '8000')],
      routes: [
        routeConfig('8000', [
          vhost('httpbin', ['httpbin', 'httpbin:8000'], [
            route({ prefix: '/' }, {
              cluster: svc('httpbin', 'v1'),
              request_mirror_policies: [{ cluster: svc('httpbin', 'v2'), runtime_fraction: { default_value: { numerator: 100 } } }],
              hash_policy: [{ header: { header_name: 'x-user' } }],
            }),
          ]),
        ]),
      ],
    });
    try {
      const port = p.port('0.0.0.0_8000');
      const names = new Set<unknown>();
      for (let i = 0; i < 10; i++) names.add((await send(port, { host: 'httpbin:8000', headers: { 'x-user': 'jason' } })).json()['name']);
      expect(names.size).toBe(1);
      await sleep(50);
      expect(shadow.seen.length).toBe(10);
      expect(shadow.seen[0]?.headers.host).toBe('httpbin-shadow:8000');
    } finally {
      await p.proxy.close();
      await Promise.all([a.close(), b.close(), shadow.close()]);
    }
  });
});

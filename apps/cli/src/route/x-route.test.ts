// `trellis x route` against a fake control plane (syncz) and a real proxy: its admin on a pod address,
// its virtualOutbound on a socket, real upstreams — what x route says is what the data path does.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { FAULT_TYPE, HCM_TYPE, ROUTER_TYPE, TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import { createProxy, type Proxy, type RouteExplanation } from '@trellis/mesh-proxy';
import { silentLogger } from '@trellis/shared';
import { runCli, startFakeControlPlane, type FakeControlPlane } from '../testing/fake-control-plane';

const ip = `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}.20`;
const svc = (subset: string): string => `outbound|9080|${subset}|reviews.default.svc.cluster.local`;
const DOMAINS = ['reviews.default.svc.cluster.local', 'reviews', 'reviews:9080'];

const hcm = (rds: string): object => ({
  name: 'envoy.filters.network.http_connection_manager',
  typed_config: {
    '@type': HCM_TYPE,
    stat_prefix: 'outbound_0.0.0.0_9080',
    rds: { route_config_name: rds, config_source: { ads: {}, resource_api_version: 'V3' } },
    http_filters: [{ name: 'envoy.filters.http.fault', typed_config: { '@type': FAULT_TYPE } }, { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
  },
});
const LISTENERS = [
  {
    name: 'virtualOutbound',
    address: { socket_address: { address: '0.0.0.0', port_value: 15001 } },
    use_original_dst: { value: true },
    traffic_direction: 'OUTBOUND',
    filter_chains: [{ name: 'catchall', filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP_PROXY_TYPE, stat_prefix: 'PassthroughCluster', cluster: 'PassthroughCluster' } }] }],
  },
  { name: '0.0.0.0_9080', address: { socket_address: { address: '0.0.0.0', port_value: 9080 } }, bind_to_port: { value: false }, traffic_direction: 'OUTBOUND', filter_chains: [{ filters: [hcm('9080')] }] },
];
// virtual-service-reviews-jason-v2-v3.yaml as istiod translates it.
const ROUTES = [
  {
    name: '9080',
    virtual_hosts: [
      {
        name: 'reviews.default.svc.cluster.local:9080',
        domains: DOMAINS,
        routes: [
          { name: 'jason', match: { prefix: '/', headers: [{ name: 'end-user', string_match: { exact: 'jason' } }] }, route: { cluster: svc('v2'), timeout: { seconds: 0 } } },
          { name: 'default', match: { prefix: '/' }, route: { cluster: svc('v3'), timeout: { seconds: 0 } } },
        ],
      },
    ],
  },
];

let cp: FakeControlPlane;
let proxy: Proxy;
const upstreams: Server[] = [];
const ports: Record<string, number> = {};

async function upstream(name: string): Promise<number> {
  const s = createServer((_req, res) => res.end(name));
  upstreams.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  cp = await startFakeControlPlane();
  for (const v of ['v2', 'v3']) ports[v] = await upstream(`reviews-${v}`);
  proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 0, bindOverride: () => ({ host: '127.0.0.1', port: 0 }) });
  const eds = (v: string): object => ({ name: svc(v), type: 'EDS', eds_cluster_config: { service_name: svc(v) }, connect_timeout: { seconds: 1 }, lb_policy: 'ROUND_ROBIN' });
  await proxy.apply('CDS', [eds('v2'), eds('v3'), { name: 'PassthroughCluster', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' }]);
  await proxy.apply('EDS', ['v2', 'v3'].map((v) => ({ cluster_name: svc(v), endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: ports[v] } } }, health_status: 'HEALTHY' }] }] })));
  await proxy.apply('LDS', LISTENERS);
  await proxy.apply('RDS', ROUTES);
  await proxy.startAdmin({ host: ip, port: 15000 });
  cp.syncz.push({ id: `sidecar~${ip}~productpage-v1-6b746f74dc-9stvt.default~default.svc.cluster.local`, proxy: { id: 'x', type: 'sidecar', ipAddress: ip, workloadName: 'productpage-v1', namespace: 'default', labels: {}, interception: 'NONE' }, connectedAt: new Date().toISOString(), types: {} });
});
afterAll(async () => {
  await proxy?.close();
  await cp?.close();
  await Promise.all(upstreams.map((s) => new Promise((r) => s.close(r))));
});

const cli = (...argv: string[]): ReturnType<typeof runCli> => runCli(['--addr', cp.url, ...argv]);

/** The same request, really sent through the proxy's virtualOutbound. */
function send(host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const port = proxy.listenerAddresses().find((l) => l.name === 'virtualOutbound')?.port ?? 0;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host, ...headers }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('trellis x route', () => {
  it('jason goes to subset v2 (a Deployment name finds its pod), and the data path agrees', async () => {
    const res = await cli('x', 'route', 'productpage-v1', '--host', 'reviews:9080', '--path', '/', '--header', 'end-user=jason');
    expect([res.code, res.stderr]).toEqual([0, '']);
    const lines = res.stdout.split('\n');
    expect(lines).toContain('Proxy:          productpage-v1-6b746f74dc-9stvt.default (sidecar)');
    expect(lines).toContain("Filter chain:   virtualOutbound → 0.0.0.0_9080 (the authority's port 9080)");
    expect(lines).toContain('Route:          jason (#0)  match: prefix "/" · header end-user exact "jason"');
    expect(lines).toContain(`Cluster:        ${svc('v2')}`);
    expect(lines).toContain('Subset:         v2');
    expect(lines).toContain(`  ${`127.0.0.1:${ports['v2']}`.padEnd(24)}HEALTHY`);
    expect(await send('reviews:9080', { 'end-user': 'jason' })).toEqual({ status: 200, body: 'reviews-v2' });
    const other = JSON.parse((await cli('x', 'route', 'productpage-v1', '--host', 'reviews:9080', '-o', 'json')).stdout) as RouteExplanation;
    expect(other.action?.clusters.map((c) => c.subset)).toEqual(['v3']);
    expect(await send('reviews:9080')).toEqual({ status: 200, body: 'reviews-v3' });
  });

  it('no virtual host: 404 NR with the domains, exit 1 — and the proxy answers 404', async () => {
    const res = await cli('x', 'route', 'productpage-v1.default', '--host', 'ratings:9080');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(['✗ No virtual host: 404 NR (route_not_found)', '  no virtual host for ratings:9080 in route configuration 9080', '  Virtual hosts (domains):', `    reviews.default.svc.cluster.local:9080: ${DOMAINS.join(', ')}`].join('\n'));
    expect((await send('ratings:9080')).status).toBe(404);
    const yaml = parse((await cli('x', 'route', 'productpage-v1', '--host', 'ratings:9080', '-o', 'yaml')).stdout) as RouteExplanation;
    expect(yaml.failure?.stage).toBe('virtual_host');
  });

  it('bad flags fail before the proxy is asked; unknown flags get a suggestion', async () => {
    const unknown = await cli('x', 'route', 'productpage-v1', '--hots', 'reviews:9080');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: unknown option '--hots'\n(Did you mean --host?)");
    expect((await cli('x', 'route', 'productpage-v1')).stderr).toContain("Error: --host is required: the request's Host / :authority (--host reviews:9080)");
    expect((await cli('x', 'route', 'productpage-v1', '--host', 'r', '--header', 'novalue')).stderr).toContain('--header "novalue": expected name=value');
    expect((await cli('x', 'route', 'ghost-v1', '--host', 'r')).stderr).toMatch(/ghost-v1\.default is not connected/);
  });

  it('analyze (routing findings) and x describe pod (a routed Service) point to x route', async () => {
    cp.analysis.push({ level: 'Error', code: 'IST0101', origin: 'VirtualService default/reviews', message: 'Referenced host+subset in destinationrule not found: "reviews+v9"' });
    const analyzed = await cli('analyze');
    expect([analyzed.code, analyzed.stderr]).toEqual([79, 'Hint: see where a request goes with this config: trellis x route <pod> --host <host:port> --path <path> [--header name=value]\n']);
    cp.analysis.length = 0;
    cp.services.push({ name: 'reviews', namespace: 'default', hostname: 'reviews.default.svc.cluster.local', ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: 'reviews' } });
    cp.workloads.push({ name: 'reviews-v2-abc', namespace: 'default', address: '127.0.0.3', labels: { app: 'reviews', version: 'v2' }, serviceAccount: 'r', sidecar: true, ready: true });
    const hint = "Where a client's request to reviews:9080 goes: trellis x route <client-pod> --host reviews:9080 --path / [--header name=value]";
    expect((await cli('x', 'describe', 'pod', 'reviews-v2-abc')).stdout).not.toContain(hint);
    cp.store.set('VirtualService/default/reviews', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] } });
    expect((await cli('x', 'describe', 'pod', 'reviews-v2-abc')).stdout).toContain(`\n${hint}\n`);
  });
});

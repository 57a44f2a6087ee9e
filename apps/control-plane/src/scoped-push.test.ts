/**
 * A change reaches only the proxies that can see it (#24), over real ADS streams: with a Sidecar
 * scoping namespace foo to `./*`, a VirtualService for reviews gives the default namespace's proxy a
 * new RDS and nothing else, and foo's proxy receives nothing at all; `trellis proxy-config cluster`
 * (the config dump) shows foo's scoped view.
 */
import { createAdsClient, resourceName, type AdsClient, type XdsTypeShort } from '@trellis/mesh-xds';
import { silentLogger } from '@trellis/shared';
import { eventually, startTestControlPlane, type TestControlPlane } from './testing/harness';

const meta = (name: string, namespace: string) => ({ name, namespace });
const service = (name: string, namespace: string) => ({
  name, namespace, hostname: `${name}.${namespace}.svc.cluster.local`, ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: name },
});
const workload = (name: string, namespace: string, address: string) => ({ name: `${name}-1`, namespace, address, labels: { app: name }, serviceAccount: name, sidecar: true, ready: true });

interface Received {
  readonly client: AdsClient;
  readonly responses: { type: XdsTypeShort; names: string[] }[];
}

function connect(tcp: TestControlPlane, pod: string, namespace: string, ip: string): Received {
  const responses: Received['responses'] = [];
  const client = createAdsClient({
    target: `127.0.0.1:${tcp.cp.xdsPort}`,
    node: { id: `sidecar~${ip}~${pod}.${namespace}~${namespace}.svc.cluster.local`, metadata: { NAMESPACE: namespace, LABELS: { app: pod.split('-')[0] ?? pod }, INTERCEPTION_MODE: 'REDIRECT' } },
    logger: silentLogger(),
    protocol: 'sotw',
    onResources: (type, resources) => void responses.push({ type, names: resources.map((r) => resourceName(type, r)) }),
  });
  return { client, responses };
}

let tcp: TestControlPlane;
const clients: Received[] = [];

beforeAll(async () => {
  tcp = await startTestControlPlane();
  for (const [name, ns, ip] of [['reviews', 'default', '10.0.0.14'], ['ratings', 'default', '10.0.0.13'], ['httpbin', 'foo', '10.0.1.5']] as const) {
    expect((await tcp.api('PUT', `/api/v1/registry/services/${ns}/${name}`, service(name, ns))).status).toBe(200);
    expect((await tcp.api('PUT', `/api/v1/registry/workloads/${ns}/${name}-1`, workload(name, ns, ip))).status).toBe(200);
  }
  const sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: meta('default', 'foo'), spec: { egress: [{ hosts: ['./*'] }] } };
  expect((await tcp.api('POST', '/api/v1/config/apply?namespace=foo', { objects: [sidecar] })).status).toBe(200);
}, 20_000);

afterAll(async () => {
  for (const c of clients) c.client.close();
  await tcp?.close();
});

it('a reviews VirtualService: RDS to the default namespace only; foo (Sidecar ./*) receives nothing', async () => {
  const inDefault = connect(tcp, 'ratings-1', 'default', '10.0.0.13');
  const inFoo = connect(tcp, 'httpbin-1', 'foo', '10.0.1.5');
  clients.push(inDefault, inFoo);
  const synced = (r: Received): boolean => ['CDS', 'EDS', 'LDS', 'RDS'].every((t) => r.responses.some((x) => x.type === t));
  await eventually('both proxies have their config', () => synced(inDefault) && synced(inFoo), 10_000);
  // foo's scoped view: its own namespace's service only (what proxy-config cluster reads).
  const dump = await tcp.api('GET', `/debug/config_dump?proxyID=${encodeURIComponent('sidecar~10.0.1.5~httpbin-1.foo~foo.svc.cluster.local')}`);
  expect(JSON.stringify(dump.body)).toContain('outbound|9080||httpbin.foo.svc.cluster.local');
  expect(JSON.stringify(dump.body)).not.toContain('reviews.default.svc.cluster.local');
  const [before, beforeFoo] = [inDefault.responses.length, inFoo.responses.length];
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('reviews', 'default'), spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'ratings' } }] }] } };
  expect((await tcp.api('POST', '/api/v1/config/apply?namespace=default', { objects: [vs] })).status).toBe(200);
  await eventually('the default proxy gets the new route', () => inDefault.responses.length > before, 10_000);
  await new Promise((r) => setTimeout(r, 300)); // a push round is 10–100 ms here: anything else would have arrived
  expect(inDefault.responses.slice(before).map((r) => r.type)).toEqual(['RDS']);
  expect(inFoo.responses.length).toBe(beforeFoo);
}, 30_000);

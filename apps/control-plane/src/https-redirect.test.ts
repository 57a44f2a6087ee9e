/**
 * Gateway `tls.httpsRedirect` end to end in-process: the control plane translates it to `require_tls: ALL`
 * on the HTTP server's virtual hosts, and the router proxy answers plaintext requests with Envoy's 301 to
 * `https://<host><path>` while the HTTPS server behind it serves the page (bookinfo-spec §5.7).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createProxy, type Proxy } from '@trellis/mesh-proxy';
import { createAdsClient, type AdsClient } from '@trellis/mesh-xds';
import { silentLogger } from '@trellis/shared';
import { eventually, startTestControlPlane, type TestControlPlane } from './testing/harness';
import { makePki, tlsSecret, type Pki } from './testing/openssl-certs';

const HOST = 'bookinfo.example.com';
let tcp: TestControlPlane;
let backend: http.Server;
let proxy: Proxy;
let ads: AdsClient;
let pki: Pki;

const gateway = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: 'default' },
  spec: {
    selector: { istio: 'ingressgateway' },
    servers: [
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [HOST], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'bookinfo-credential' }, hosts: [HOST] },
    ],
  },
};
const virtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'bookinfo', namespace: 'default' },
  spec: { hosts: [HOST], gateways: ['bookinfo-gateway'], http: [{ match: [{ uri: { exact: '/productpage' } }], route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }] },
};

const portOf = (name: string): number | undefined => proxy.listenerAddresses().find((a) => a.name === name)?.port;

function get(client: typeof http | typeof https, port: number, extra: https.RequestOptions = {}): Promise<{ status?: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = client.request({ host: '127.0.0.1', port, path: '/productpage', headers: { host: HOST }, agent: false, ...extra }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  pki = makePki();
  tcp = await startTestControlPlane();
  backend = http.createServer((req, res) => res.end(`productpage ${req.url}`));
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  await tcp.api('PUT', '/api/v1/registry/services/default/productpage', {
    name: 'productpage', namespace: 'default', hostname: 'productpage.default.svc.cluster.local',
    ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: 'productpage' },
  });
  await tcp.api('PUT', '/api/v1/registry/services/istio-system/istio-ingressgateway', {
    name: 'istio-ingressgateway', namespace: 'istio-system', hostname: 'istio-ingressgateway.istio-system.svc.cluster.local',
    ports: [{ name: 'http2', port: 80, targetPort: 8080, protocol: 'HTTP' }, { name: 'https', port: 443, targetPort: 8443, protocol: 'HTTPS' }], selector: { istio: 'ingressgateway' },
  });
  await tcp.api('PUT', '/api/v1/registry/workloads/default/productpage-v1', {
    name: 'productpage-v1', namespace: 'default', address: '127.0.0.1', ports: { '9080': (backend.address() as AddressInfo).port }, labels: { app: 'productpage' }, serviceAccount: 'bookinfo-productpage', sidecar: false, ready: true,
  });
  const applied = await tcp.api('POST', '/api/v1/config/apply', { objects: [tlsSecret('bookinfo-credential', pki.issue(HOST, 1)), gateway, virtualService] });
  if (applied.status !== 200) throw new Error(`apply ${applied.status}: ${JSON.stringify(applied.body)}`);
  proxy = createProxy({ mode: 'router', logger: silentLogger(), drainMs: 50, bindOverride: () => ({ host: '127.0.0.1', port: 0 }) });
  ads = createAdsClient({
    target: `127.0.0.1:${tcp.cp.xdsPort}`,
    node: { id: 'router~127.0.0.2~istio-ingressgateway-test.istio-system~istio-system.svc.cluster.local', metadata: { NAMESPACE: 'istio-system', LABELS: { istio: 'ingressgateway' } } },
    logger: silentLogger(),
    onResources: (type, resources, version) => void proxy.apply(type, resources, version).catch(() => undefined),
  });
  await eventually('both listeners', () => portOf('0.0.0.0_8080') !== undefined && portOf('0.0.0.0_8443') !== undefined, 10_000);
}, 30_000);

afterAll(async () => {
  ads?.close();
  await proxy?.close();
  await new Promise((r) => backend?.close(r));
  await tcp?.close();
  pki?.remove();
});

describe('Gateway tls.httpsRedirect', () => {
  it('curl http://bookinfo.example.com/productpage → 301 https://bookinfo.example.com/productpage, which serves the page', async () => {
    await eventually('the redirect', async () => (await get(http, portOf('0.0.0.0_8080') ?? 0)).status === 301, 10_000);
    expect(await get(http, portOf('0.0.0.0_8080') ?? 0)).toEqual({ status: 301, location: `https://${HOST}/productpage`, body: '' });
    await eventually('200 over TLS', async () => (await get(https, portOf('0.0.0.0_8443') ?? 0, { servername: HOST, ca: pki.caCert }).catch(() => ({ status: 0 }))).status === 200, 10_000);
    expect(await get(https, portOf('0.0.0.0_8443') ?? 0, { servername: HOST, ca: pki.caCert })).toMatchObject({ status: 200, body: 'productpage /productpage' });
  });
});

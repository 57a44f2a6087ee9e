/**
 * Secure ingress end to end in-process (bookinfo-spec §5.7): a control plane in local mode, a Secret
 * made with openssl applied through the config API, a Gateway `tls.mode: SIMPLE|MUTUAL` with
 * `credentialName`, and a router proxy that gets the credential over SDS on its ADS stream and
 * terminates TLS in front of a plain HTTP backend.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createProxy, type Proxy } from '@trellis/mesh-proxy';
import { createAdsClient, type AdsClient } from '@trellis/mesh-xds';
import { createLogger, silentLogger } from '@trellis/shared';
import { eventually, startTestControlPlane, type TestControlPlane } from './testing/harness';
import { makePki, tlsSecret, type Pki } from './testing/openssl-certs';

const HOST = 'bookinfo.example.com';
let tcp: TestControlPlane;
let backend: http.Server;
let proxy: Proxy;
let ads: AdsClient;
let pki: Pki;

const gateway = (mode: 'SIMPLE' | 'MUTUAL'): object => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: 'default' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode, credentialName: 'bookinfo-credential' }, hosts: [HOST] }] },
});
const virtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'bookinfo', namespace: 'default' },
  spec: { hosts: [HOST], gateways: ['bookinfo-gateway'], http: [{ match: [{ uri: { exact: '/productpage' } }], route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }] },
};

async function apply(objects: object[]): Promise<void> {
  const res = await tcp.api('POST', '/api/v1/config/apply', { objects });
  if (res.status !== 200) throw new Error(`apply ${res.status}: ${JSON.stringify(res.body)}`);
}

function securePort(): number | undefined {
  return proxy.listenerAddresses().find((a) => a.name === '0.0.0.0_8443')?.port;
}

interface Reply {
  readonly status?: number;
  readonly body?: string;
  readonly serial?: string;
  readonly error?: string;
}

/** curl --resolve bookinfo.example.com:<port>:127.0.0.1 --cacert example.com.crt [--cert --key] https://<sni>/productpage */
function get(opts: { sni?: string; cert?: { cert: string; key: string } } = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const req = https.request(
      { host: '127.0.0.1', port: securePort(), path: '/productpage', servername: opts.sni ?? HOST, headers: { host: HOST }, ca: pki.caCert, agent: false, ...(opts.cert ?? {}), timeout: 3000 },
      (res) => {
        const serial = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().serialNumber;
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body, serial }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

beforeAll(async () => {
  pki = makePki();
  tcp = await startTestControlPlane();
  backend = http.createServer((req, res) => res.end(`productpage ${req.url}`));
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as AddressInfo).port;
  await tcp.api('PUT', '/api/v1/registry/services/default/productpage', {
    name: 'productpage', namespace: 'default', hostname: 'productpage.default.svc.cluster.local',
    ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: 'productpage' },
  });
  // The gateway's Service: 443 → 8443, as deploy/gateway and Istio's chart publish it.
  await tcp.api('PUT', '/api/v1/registry/services/istio-system/istio-ingressgateway', {
    name: 'istio-ingressgateway', namespace: 'istio-system', hostname: 'istio-ingressgateway.istio-system.svc.cluster.local',
    ports: [{ name: 'http2', port: 80, targetPort: 8080, protocol: 'HTTP' }, { name: 'https', port: 443, targetPort: 8443, protocol: 'HTTPS' }], selector: { istio: 'ingressgateway' },
  });
  await tcp.api('PUT', '/api/v1/registry/workloads/default/productpage-v1', {
    name: 'productpage-v1', namespace: 'default', address: '127.0.0.1', ports: { '9080': port }, labels: { app: 'productpage' }, serviceAccount: 'bookinfo-productpage', sidecar: false, ready: true,
  });
  await apply([tlsSecret('bookinfo-credential', pki.issue(HOST, 1)), gateway('SIMPLE'), virtualService]);
  proxy = createProxy({ mode: 'router', logger: process.env['DEBUG_TEST'] ? createLogger({ name: 'gw', level: 'debug' }) : silentLogger(), drainMs: 50, bindOverride: () => ({ host: '127.0.0.1', port: 0 }) });
  ads = createAdsClient({
    target: `127.0.0.1:${tcp.cp.xdsPort}`,
    node: { id: 'router~127.0.0.2~istio-ingressgateway-test.istio-system~istio-system.svc.cluster.local', metadata: { NAMESPACE: 'istio-system', LABELS: { istio: 'ingressgateway' } } },
    logger: silentLogger(),
    onResources: (type, resources, version) => void proxy.apply(type, resources, version).catch(() => undefined),
  });
  await eventually('the secure listener', () => securePort() !== undefined, 10_000);
}, 30_000);

afterAll(async () => {
  ads?.close();
  await proxy?.close();
  await new Promise((r) => backend?.close(r));
  await tcp?.close();
  pki?.remove();
});

describe('secure ingress: Gateway tls + credentialName served over SDS', () => {
  it('SIMPLE: curl --cacert example.com.crt https://bookinfo.example.com/productpage → 200 from the backend', async () => {
    await eventually('200 over TLS', async () => (await get()).status === 200, 10_000);
    expect(await get()).toMatchObject({ status: 200, body: 'productpage /productpage', serial: '01' });
  });

  it('sends the credential only to the gateway that asked for it, private key redacted in config_dump', async () => {
    const sds = (await tcp.syncz()).find((p) => p.id.startsWith('router~'))?.types.SDS;
    expect(sds?.ackedVersion).toBe(sds?.sentVersion);
    const dump = (await tcp.api('GET', `/debug/config_dump?proxyID=istio-ingressgateway-test.istio-system`)).body as { secrets?: { name: string; tls_certificate?: { private_key?: { inline_bytes?: string } } }[] };
    expect(dump.secrets?.map((s) => s.name)).toEqual(['kubernetes://bookinfo-credential']);
    expect(Buffer.from(dump.secrets?.[0]?.tls_certificate?.private_key?.inline_bytes ?? '', 'base64').toString()).toBe('[redacted]');
  });

  it('a ClientHello naming another host matches no chain: the connection is refused', async () => {
    const r = await get({ sni: 'other.example.com' });
    expect(r.status).toBeUndefined();
    expect(r.error).toBeDefined();
  });

  it('rotating the Secret serves the new certificate on new connections, without a restart', async () => {
    await apply([tlsSecret('bookinfo-credential', pki.issue(HOST, 2))]);
    await eventually('the new serial', async () => (await get()).serial === '02', 10_000);
    expect(await get()).toMatchObject({ status: 200, serial: '02' });
  });

  it('MUTUAL: no client certificate → refused; one signed by the CA → 200', async () => {
    const client = pki.issue('client.example.com', 3);
    await apply([tlsSecret('bookinfo-credential', pki.issue(HOST, 4), pki.caCert), gateway('MUTUAL')]);
    // Converged once the client-cert holder is served by the new chain (serial 04); a refused connection
    // meanwhile (the listener between configs) is not the MUTUAL refusal this test is about.
    await eventually('the MUTUAL chain', async () => (await get({ cert: client })).serial === '04', 10_000);
    expect(await get({ cert: client })).toMatchObject({ status: 200, body: 'productpage /productpage', serial: '04' });
    const anonymous = await get();
    expect({ status: anonymous.status, refusedByTls: anonymous.error !== undefined && anonymous.error !== 'ECONNREFUSED' }).toEqual({ status: undefined, refusedByTls: true });
  });

  it('deleting the Secret removes the chain (istiod skips the server), the push goes on', async () => {
    const res = await tcp.api('POST', '/api/v1/config/delete', { objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bookinfo-credential', namespace: 'istio-system' } }] });
    expect(res.status).toBe(200);
    await eventually('the secure listener removed', () => securePort() === undefined, 10_000);
  });
});

import * as tls from 'node:tls';
import { send } from './testing/harness';
import { ISTIO_CLIENT_ALPN } from './testing/istio-mtls';
import { type MeshPki, type WorkloadCert, meshPki } from './testing/mesh-pki';
import { type Apps, startApps, startServerSidecar } from './testing/mesh-sidecars';
import type { TestProxy } from './testing/harness';

/** The server sidecar refuses bad clients on its mTLS chains, counts each as Envoy does, and keeps serving good ones. */
describe('inbound mTLS refusals (listener.<name>.ssl.*)', () => {
  let pki: MeshPki;
  let apps: Apps;
  let server: TestProxy;
  beforeAll(async () => {
    pki = meshPki();
    apps = await startApps();
    server = await startServerSidecar(apps, pki.store('bookinfo-reviews'), 'STRICT');
  });
  afterAll(async () => {
    await server.proxy.close();
    await apps.close();
  });

  /** A TLS client as an Istio sidecar would connect; resolves with the HTTP status line, or 'closed'. */
  function call(cert: WorkloadCert | undefined): Promise<string> {
    return new Promise((resolve) => {
      const s = tls.connect({
        host: '127.0.0.1',
        port: server.port('127.0.0.1_9080'),
        servername: 'outbound_.9080_._.reviews.default.svc.cluster.local',
        ALPNProtocols: ISTIO_CLIENT_ALPN,
        ca: pki.rootPem,
        checkServerIdentity: () => undefined,
        ...(cert ? { cert: cert.chainPem, key: cert.keyPem } : {}),
      });
      let got = '';
      s.on('secureConnect', () => s.write('GET / HTTP/1.1\r\nhost: reviews:9080\r\nconnection: close\r\n\r\n'));
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('error', () => undefined);
      s.on('close', () => resolve(got === '' ? 'closed' : (got.split('\r\n')[0] ?? '')));
    });
  }

  async function counter(name: string): Promise<number> {
    const admin = await server.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    const line = (await send(admin.port, { path: '/stats' })).body.split('\n').find((l) => l.startsWith(`listener.127.0.0.1_9080.${name}: `));
    return Number(line?.split(': ')[1] ?? -1);
  }

  it('serves a client with a mesh certificate', async () => {
    expect(await call(pki.issue('bookinfo-productpage'))).toBe('HTTP/1.1 200 OK');
  });

  it('closes a client without a certificate (ssl.fail_verify_no_cert)', async () => {
    expect(await call(undefined)).toBe('closed');
    expect(await counter('ssl.fail_verify_no_cert')).toBe(1);
  });

  it('closes a client whose certificate comes from another root (ssl.fail_verify_error)', async () => {
    expect(await call(meshPki().issue('bookinfo-productpage'))).toBe('closed');
    expect(await counter('ssl.fail_verify_error')).toBe(1);
  });

  it('closes a client with an expired certificate (ssl.fail_verify_error) and still serves good ones', async () => {
    expect(await call(pki.issue('bookinfo-productpage', { at: Date.now() - 86_400_000, ttlSeconds: 3600 }))).toBe('closed');
    expect(await counter('ssl.fail_verify_error')).toBe(2);
    expect(await call(pki.issue('bookinfo-productpage'))).toBe('HTTP/1.1 200 OK');
    expect(await counter('ssl.handshake')).toBe(2);
  });
});

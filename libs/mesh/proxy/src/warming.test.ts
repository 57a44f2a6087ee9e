import { SecretStore } from './sds';
import { meshPki } from './testing/mesh-pki';
import { type Apps, startApps, startClientSidecar, startServerSidecar } from './testing/mesh-sidecars';

/**
 * Readiness waits for warming, as Envoy's does: a sidecar whose clusters or listeners name SDS secrets
 * (Istio's `default`/`ROOTCA`) is not ready until its agent delivered them, so no caller is sent to a
 * proxy that would answer 503 UF for want of its workload certificate.
 */
describe('readiness and SDS warming', () => {
  let apps: Apps;
  beforeAll(async () => {
    apps = await startApps();
  });
  afterAll(() => apps.close());

  it('is not ready while the workload certificate is missing, and ready once the agent delivers it', async () => {
    const pki = meshPki();
    const serverSecrets = new SecretStore();
    const server = await startServerSidecar(apps, serverSecrets, 'PERMISSIVE');
    const clientSecrets = new SecretStore();
    const client = await startClientSidecar(server, clientSecrets);
    try {
      expect({ server: server.proxy.isReady(), client: client.proxy.isReady() }).toEqual({ server: false, client: false });
      for (const [store, sa] of [[serverSecrets, 'bookinfo-reviews'], [clientSecrets, 'bookinfo-productpage']] as const) {
        for (const s of pki.store(sa).list()) store.set(s.type === 'tls_certificate' ? { type: s.type, name: s.name, certificateChainPem: s.certificateChainPem, privateKeyPem: s.privateKeyPem } : { type: s.type, name: s.name, trustedCaPem: s.trustedCaPem });
      }
      expect({ server: server.proxy.isReady(), client: client.proxy.isReady() }).toEqual({ server: true, client: true });
    } finally {
      await client.proxy.close();
      await server.proxy.close();
    }
  });
});

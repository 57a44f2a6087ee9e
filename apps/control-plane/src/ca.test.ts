// The control plane's CA over real gRPC + TLS on an ephemeral port, in local mode.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createCaClient, createCsr, EC_P256, generateKeyPair, generateSelfSignedRoot, issueLocalToken, RSA_2048, type CaClient } from '@trellis/mesh-ca';
import { silentLogger } from '@trellis/shared';
import type { ControlPlaneConfig } from './config';
import { startControlPlane, type RunningControlPlane } from './control-plane';
import { makeStateDir, removeStateDir, testConfig } from './testing/harness';

const ID = 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews';
let stateDir: string;
let cp: RunningControlPlane;
let client: CaClient;

const config = (dir: string): ControlPlaneConfig => ({
  ...testConfig(dir),
  ca: { port: 0, trustDomain: 'cluster.local', pluggedInDir: path.join(dir, 'cacerts'), namespace: 'istio-system' },
});
const rootPem = (): string => readFileSync(path.join(stateDir, 'ca', 'ca-cert.pem'), 'utf8');
const token = (ns: string, sa: string): string => issueLocalToken(Buffer.from(readFileSync(path.join(stateDir, 'workload-token.key'), 'utf8'), 'base64'), ns, sa);
const csrFor = (uris: string[] = []): string => createCsr(generateKeyPair(EC_P256).privateKey, { uris });
const grpcError = async (p: Promise<unknown>): Promise<grpc.ServiceError> => p.then(() => Promise.reject(new Error('expected a gRPC error')), (err: grpc.ServiceError) => err);

beforeAll(async () => {
  stateDir = await makeStateDir();
  cp = await startControlPlane(config(stateDir), silentLogger());
  client = createCaClient({ address: `127.0.0.1:${cp.caPort}`, rootPem: rootPem() });
});
afterAll(async () => {
  client?.close();
  await cp?.close();
  await removeStateDir(stateDir);
});

describe('CA service (istio.v1.auth.IstioCertificateService/CreateCertificate over TLS)', () => {
  it('signs for the token identity; the chain verifies against the root', async () => {
    const chain = await client.createCertificate({ csrPem: csrFor(), token: token('default', 'bookinfo-reviews'), validitySeconds: 3600 });
    expect(chain).toHaveLength(2);
    const [leaf, root] = chain.map((pem) => new X509Certificate(pem));
    const trusted = new X509Certificate(rootPem());
    expect(root!.fingerprint256).toBe(trusted.fingerprint256);
    expect(leaf!.verify(trusted.publicKey) && leaf!.checkIssued(trusted)).toBe(true);
    expect(leaf!.subjectAltName).toBe(`URI:${ID}`);
    expect(Date.parse(leaf!.validTo) - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(Date.parse(leaf!.validTo) - Date.now()).toBeGreaterThan(3500_000);
  });

  it('accepts RSA 2048 CSRs too', async () => {
    const chain = await client.createCertificate({ csrPem: createCsr(generateKeyPair(RSA_2048).privateKey, { uris: [ID] }), token: token('default', 'bookinfo-reviews') });
    expect(new X509Certificate(chain[0]!).publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('answers UNAUTHENTICATED without a valid token', async () => {
    const forged = issueLocalToken(Buffer.alloc(32, 7), 'default', 'bookinfo-reviews');
    for (const t of [forged, undefined]) {
      const err = await grpcError(client.createCertificate({ csrPem: csrFor(), token: t }));
      expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(err.details).toMatch(/CA_UNAUTHENTICATED/);
    }
  });

  it('refuses a CSR for another identity (PERMISSION_DENIED, CA_IDENTITY_MISMATCH)', async () => {
    const err = await grpcError(client.createCertificate({ csrPem: csrFor(['spiffe://cluster.local/ns/istio-system/sa/istiod']), token: token('default', 'bookinfo-reviews') }));
    expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(err.details).toMatch(/CA_IDENTITY_MISMATCH.*istio-system\/sa\/istiod/);
  });

  it('answers INVALID_ARGUMENT for a garbage CSR and a lifetime above 90 days', async () => {
    const garbage = await grpcError(client.createCertificate({ csrPem: 'not a csr', token: token('default', 'x') }));
    expect([garbage.code, garbage.details]).toEqual([grpc.status.INVALID_ARGUMENT, expect.stringMatching(/CA_CSR_INVALID/)]);
    const long = await grpcError(client.createCertificate({ csrPem: csrFor(), token: token('default', 'x'), validitySeconds: 91 * 86400 }));
    expect([long.code, long.details]).toEqual([grpc.status.INVALID_ARGUMENT, expect.stringMatching(/CA_TTL_TOO_LONG/)]);
  });

  it('refuses a client that does not trust this root (the server speaks TLS with a certificate from the CA)', async () => {
    const stranger = createCaClient({ address: `127.0.0.1:${cp.caPort}`, rootPem: generateSelfSignedRoot({ trustDomain: 'other', now: Date.now() }).caCert });
    try {
      const err = await grpcError(stranger.createCertificate({ csrPem: csrFor(), token: token('default', 'x'), deadlineMs: 3000 }));
      expect(err.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      stranger.close();
    }
  });

  it('keeps its root and token key across a restart', async () => {
    const before = rootPem();
    const t = token('default', 'bookinfo-reviews');
    client.close();
    await cp.close();
    cp = await startControlPlane(config(stateDir), silentLogger());
    client = createCaClient({ address: `127.0.0.1:${cp.caPort}`, rootPem: before });
    expect(rootPem()).toBe(before);
    const chain = await client.createCertificate({ csrPem: csrFor(), token: t });
    expect(chain[chain.length - 1]).toBe(before);
  });
});

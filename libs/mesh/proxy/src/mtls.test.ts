import { X509Certificate, createHash } from 'node:crypto';
import { SecretStore, WORKLOAD_CERT_SECRET } from './sds';
import { type TestProxy, send } from './testing/harness';
import { type MeshPki, meshPki, spiffe } from './testing/mesh-pki';
import { type Apps, GRPC, REVIEWS, cluster, h2Call, startApps, startClientSidecar, startServerSidecar, tcpRoundTrip } from './testing/mesh-sidecars';
import { AUTO_CLUSTER, AUTO_PORT, AUTO_TCP_LISTENER, INBOUND_AUTO_CLUSTER, startAutoClient, startAutoServer } from './testing/istio-auto-port';

/**
 * Istio mTLS between two sidecars over real TLS, with certificates from the mesh CA fed through SDS
 * secret stores: the client sidecar originates ISTIO_MUTUAL / auto mTLS, the server sidecar's inbound
 * listeners (PERMISSIVE or STRICT, istiod's chains) terminate it and hand the app the caller's identity.
 */
describe('mTLS between sidecars (ISTIO_MUTUAL, auto mTLS, PeerAuthentication)', () => {
  let pki: MeshPki;
  let apps: Apps;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    pki = meshPki();
    apps = await startApps();
  });
  afterAll(() => apps.close());
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    apps.http.seen.length = 0;
  });

  async function mesh(o: { mode?: 'STRICT' | 'PERMISSIVE'; client?: SecretStore; server?: SecretStore; auto?: boolean; serverSa?: string; sidecar?: boolean; maxRequestsPerConnection?: number } = {}): Promise<{ client: TestProxy; server: TestProxy; clientSecrets: SecretStore; serverSecrets: SecretStore }> {
    const serverSecrets = o.server ?? pki.store('bookinfo-reviews');
    const clientSecrets = o.client ?? pki.store('bookinfo-productpage');
    const server = await startServerSidecar(apps, serverSecrets, o.mode ?? 'PERMISSIVE');
    closers.push(() => server.proxy.close());
    const client = await startClientSidecar(server, clientSecrets, o);
    closers.push(() => client.proxy.close());
    return { client, server, clientSecrets, serverSecrets };
  }

  async function stats(p: TestProxy): Promise<string> {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    return (await send(admin.port, { path: '/stats' })).body;
  }

  const statValue = (text: string, name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}: `));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  const leafHash = (s: SecretStore): string => {
    const secret = s.get(WORKLOAD_CERT_SECRET);
    if (secret?.type !== 'tls_certificate') throw new Error('no workload certificate');
    return createHash('sha256').update(new X509Certificate(secret.certificateChainPem).raw).digest('hex');
  };

  it('HTTP/1.1 over auto mTLS: the app sees the caller in XFCC exactly as Envoy writes it, from 127.0.0.6', async () => {
    const { client, server, clientSecrets } = await mesh();
    const r = await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080', path: '/reviews/0', headers: { 'x-forwarded-client-cert': 'By=forged' } });
    expect(r.status).toBe(200);
    const seen = apps.http.seen[0]?.headers;
    expect(seen?.['x-forwarded-client-cert']).toBe(`By=${spiffe('bookinfo-reviews')};Hash=${leafHash(clientSecrets)};Subject="";URI=${spiffe('bookinfo-productpage')}`);
    expect(seen?.['x-seen-remote']).toBe('127.0.0.6'); // inbound|9080|| binds upstream_bind_config's source
    expect(seen?.['x-forwarded-proto']).toBe('http'); // set by the client sidecar, kept inbound (use_remote_address false)
    expect(r.json<{ headers: Record<string, string> }>().headers['x-forwarded-client-cert']).toContain('URI=spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
    const cs = await stats(client);
    expect(cs).toContain(`cluster.${cluster(9080, REVIEWS)}.ssl.handshake: 1\n`);
    expect(await stats(server)).toContain('listener.127.0.0.1_9080.ssl.handshake: 1\n');
  });

  it('h2 / gRPC over ISTIO_MUTUAL with ALPN h2: trailers through, XFCC to the app', async () => {
    const { client } = await mesh({ auto: false });
    const r = await h2Call(client.port('0.0.0.0_9090'), 'grpc:9090');
    expect(r.status).toBe(200);
    expect(r.trailers['grpc-status']).toBe('0');
    expect(String(r.trailers['x-xfcc'])).toContain(`URI=${spiffe('bookinfo-productpage')}`);
    expect(await stats(client)).toContain(`cluster.${cluster(9090, GRPC)}.ssl.handshake: 1\n`);
  });

  it('TCP over ISTIO_MUTUAL: bytes and half-close through both sidecars', async () => {
    const { client, server } = await mesh({ auto: false });
    expect(await tcpRoundTrip(client.port('127.0.0.1_9000'), 'hello over mtls')).toBe('hello over mtls');
    expect(await stats(server)).toContain('listener.127.0.0.1_9000.ssl.handshake: 1\n');
  });

  it('PERMISSIVE accepts plaintext on the same port and strips a client-supplied XFCC', async () => {
    const { server } = await mesh();
    const r = await send(server.port('127.0.0.1_9080'), { host: 'reviews:9080', headers: { 'x-forwarded-client-cert': 'By=spiffe://forged;URI=spiffe://cluster.local/ns/default/sa/admin' } });
    expect(r.status).toBe(200);
    expect(apps.http.seen[0]?.headers['x-forwarded-client-cert']).toBeUndefined();
    expect(apps.http.seen[0]?.headers['x-forwarded-proto']).toBe('http');
    expect(await tcpRoundTrip(server.port('127.0.0.1_9000'), 'plain')).toBe('plain');
  });

  it('STRICT closes plaintext (no_filter_chain_match) and serves mTLS', async () => {
    const { client, server } = await mesh({ mode: 'STRICT' });
    await expect(send(server.port('127.0.0.1_9080'), { host: 'reviews:9080' })).rejects.toThrow();
    expect(await tcpRoundTrip(server.port('127.0.0.1_9000'), 'plain')).toBe('');
    expect((await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080' })).status).toBe(200);
    const s = await stats(server);
    expect(s).toContain('listener.127.0.0.1_9080.no_filter_chain_match: 1\n');
    expect(s).toContain('listener.127.0.0.1_9000.no_filter_chain_match: 1\n');
  });

  it('auto mTLS speaks plaintext to endpoints without a sidecar (tlsMode-disabled)', async () => {
    const { client } = await mesh({ sidecar: false });
    expect((await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080' })).status).toBe(200);
    expect(apps.http.seen[0]?.headers['x-forwarded-client-cert']).toBeUndefined();
    expect(await stats(client)).toContain(`cluster.${cluster(9080, REVIEWS)}.ssl.handshake: 0\n`);
  });

  it('a server with another identity than the SANs asked for is refused (ssl.fail_verify_san, 503 UF)', async () => {
    const { client } = await mesh({ serverSa: 'bookinfo-ratings' });
    const r = await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080' });
    expect(r.status).toBe(503);
    expect(r.body).toContain('CERTIFICATE_VERIFY_FAILED');
    expect(await stats(client)).toContain(`cluster.${cluster(9080, REVIEWS)}.ssl.fail_verify_san: 1\n`);
  });

  it('warming: no secret yet → 503 UF (Secret is not supplied by SDS), counted; served once the agent delivers', async () => {
    const empty = new SecretStore();
    const { client } = await mesh({ client: empty });
    const r = await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080' });
    expect(r.status).toBe(503);
    expect(r.body).toContain('transport failure reason: TLS error: Secret is not supplied by SDS');
    expect(await stats(client)).toContain(`cluster.${cluster(9080, REVIEWS)}.client_ssl_socket_factory.upstream_context_secrets_not_ready: 1\n`);
    const filled = pki.store('bookinfo-productpage');
    for (const s of filled.list()) empty.set(s.type === 'tls_certificate' ? { type: s.type, name: s.name, certificateChainPem: s.certificateChainPem, privateKeyPem: s.privateKeyPem } : { type: s.type, name: s.name, trustedCaPem: s.trustedCaPem });
    expect((await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080' })).status).toBe(200);
  });

  it('undeclared port, PERMISSIVE: HTTP over mTLS offers istio-http/1.1 (istio.alpn) and is served by the HTTP chain; raw TCP by the TCP chain', async () => {
    const server = await startAutoServer(apps.http, pki.store('bookinfo-tcp-echo'));
    closers.push(() => server.proxy.close());
    const client = await startAutoClient(server, pki.store('bookinfo-productpage'));
    closers.push(() => client.proxy.close());
    const r = await send(client.port(`0.0.0.0_${AUTO_PORT}`), { host: `tcp-echo:${AUTO_PORT}` });
    expect(r.status).toBe(200);
    // The inbound HCM appended the caller's identity: the request met the HTTP chain, not tcp_proxy.
    expect(apps.http.seen[0]?.headers['x-forwarded-client-cert']).toContain(`URI=${spiffe('bookinfo-productpage')}`);
    // HTTP bytes through tcp_proxy keep the cluster's ALPN (istio-peer-exchange): the server's TCP chain relays them.
    const raw = await tcpRoundTrip(client.port(AUTO_TCP_LISTENER), `GET / HTTP/1.1\r\nhost: tcp-echo:${AUTO_PORT}\r\nconnection: close\r\n\r\n`);
    expect(raw.startsWith('HTTP/1.1 200')).toBe(true);
    expect(apps.http.seen[1]?.headers['x-forwarded-client-cert']).toBeUndefined();
    const ss = await stats(server);
    expect({ http: statValue(ss, `cluster.${INBOUND_AUTO_CLUSTER}.upstream_rq_total`), tcp: statValue(ss, `tcp.${INBOUND_AUTO_CLUSTER}.downstream_cx_total`) }).toEqual({ http: 1, tcp: 1 });
    expect(statValue(ss, `listener.127.0.0.1_${AUTO_PORT}.ssl.handshake`)).toBe(2);
    // Two upstream TLS connections: the HTTP pool's ALPN differs from tcp_proxy's, so they are never shared.
    expect(statValue(await stats(client), `cluster.${AUTO_CLUSTER}.ssl.handshake`)).toBe(2);
  });

  it('rotation under load: both certificates replaced twice while requests run, zero failures, new connections use the new ones', async () => {
    const { client, server, clientSecrets, serverSecrets } = await mesh({ maxRequestsPerConnection: 3 });
    const statuses: number[] = [];
    let running = true;
    const loop = (async () => {
      for (let i = 0; running; i++) {
        const headers: Record<string, string> = i % 5 === 0 ? { connection: 'close' } : {};
        statuses.push((await send(client.port('0.0.0.0_9080'), { host: 'reviews:9080', headers })).status);
      }
    })();
    // Progress is counted in requests, not milliseconds: every 5th request closes its connection,
    // so 8 more requests guarantee a new connection under each certificate however slow the machine.
    const served = async (more: number): Promise<void> => {
      const target = statuses.length + more;
      while (statuses.length < target) await new Promise((r) => setTimeout(r, 10));
    };
    const hashes = [leafHash(clientSecrets)];
    for (let n = 0; n < 2; n++) {
      await served(8);
      pki.rotate(clientSecrets, 'bookinfo-productpage');
      pki.rotate(serverSecrets, 'bookinfo-reviews');
      hashes.push(leafHash(clientSecrets));
    }
    await served(8);
    running = false;
    await loop;
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Contexts are rebuilt when a connection first needs the new secret (both rotations were used here).
    expect(await stats(client)).toContain(`cluster.${cluster(9080, REVIEWS)}.client_ssl_socket_factory.ssl_context_update_by_sds: 2\n`);
    expect(await stats(server)).toContain('listener.127.0.0.1_9080.server_ssl_socket_factory.ssl_context_update_by_sds: 2\n');
    // New upstream connections (the client sidecar's pool grows under load) presented the newest certificate.
    const seenHashes = new Set(apps.http.seen.map((s) => /Hash=([0-9a-f]+)/.exec(String(s.headers['x-forwarded-client-cert']))?.[1]));
    expect(seenHashes.has(hashes[0])).toBe(true);
    expect(seenHashes.has(hashes[2])).toBe(true);
  });
});

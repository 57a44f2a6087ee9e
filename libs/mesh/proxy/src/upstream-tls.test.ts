
import * as path from 'node:path';
import * as http2 from 'node:http2';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { KNOWN_TYPES } from './config/proto';
import type { Cluster, Listener } from './config/envoy-types';
import { assignment, edsCluster, httpListener, route, routeConfig, vhost } from './testing/envoy-fixtures';
import { type TestProxy, send, startProxy } from './testing/harness';
import { type TestPki, type TlsTestServer, answerHttp, makePki, startTlsServer } from './testing/tls-fixtures';

/**
 * DestinationRule tls origination over real TLS: an app speaks plain HTTP to the sidecar's port-80
 * listener (Istio's egress-tls-origination shape: http://www.googleapis.com, routed to port 443),
 * the sidecar originates TLS to a server started here with a CA made for the test.
 */
const HOST = 'www.googleapis.com';
const TLS_CLUSTER = `outbound|443||${HOST}`;

/** The cluster the translator emits for the egress sample, with caCertificates / sni given. */
function tlsCluster(tls: { caFile?: string; sni?: string; sans?: string[]; auto?: boolean; mutual?: { cert: string; key: string }; alpn?: string[] }, extra: Partial<Cluster> = {}): Cluster {
  const validation = tls.caFile === undefined ? {} : { trusted_ca: { filename: tls.caFile }, ...(tls.sans ? { match_subject_alt_names: tls.sans.map((exact) => ({ exact })) } : {}) };
  return edsCluster(TLS_CLUSTER, {
    transport_socket: {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': KNOWN_TYPES.upstreamTlsContext,
        ...(tls.sni ? { sni: tls.sni } : {}),
        common_tls_context: {
          tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
          ...(tls.mutual ? { tls_certificates: [{ certificate_chain: { filename: tls.mutual.cert }, private_key: { filename: tls.mutual.key } }] } : {}),
          validation_context: validation,
          ...(tls.alpn ? { alpn_protocols: tls.alpn } : {}),
        },
      },
    },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': KNOWN_TYPES.httpProtocolOptions,
        ...(tls.auto ? { upstream_http_protocol_options: { auto_sni: true, auto_san_validation: true } } : {}),
        explicit_http_config: tls.alpn?.includes('h2') ? { http2_protocol_options: {} } : { http_protocol_options: {} },
      },
    },
    ...extra,
  });
}

const NO_RETRY = { retry_on: 'connect-failure', num_retries: { value: 0 } };
const egressRoutes = routeConfig('80', [vhost(`${HOST}:80`, [HOST, `${HOST}:80`], [route({ prefix: '/' }, { cluster: TLS_CLUSTER, retry_policy: NO_RETRY })])]);

describe('upstream TLS origination (DestinationRule tls SIMPLE / MUTUAL)', () => {
  let pki: TestPki;
  let server: TlsTestServer;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    pki = makePki(`DNS:${HOST},DNS:api.example.test`);
    server = await startTlsServer(pki, answerHttp);
  });
  afterAll(async () => {
    await server.close();
    pki.remove();
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    server.seen.length = 0;
  });

  async function sidecar(cluster: Cluster, listeners: Listener[] = [httpListener('0.0.0.0_80', 80, '80')], lines?: string[]): Promise<TestProxy> {
    const p = await startProxy(
      { clusters: [cluster], endpoints: [assignment(TLS_CLUSTER, [{ port: server.port }])], listeners, routes: [egressRoutes] },
      lines ? { accessLog: { write: (l: string) => lines.push(l) } } : {},
    );
    closers.push(() => p.proxy.close());
    return p;
  }

  async function stats(p: TestProxy): Promise<string> {
    const admin = await p.proxy.startAdmin({ host: '127.0.0.1', port: 0 });
    return (await send(admin.port, { path: '/stats' })).body;
  }

  it('http://www.googleapis.com → TLS to the server: SNI and SAN check follow the Host (auto_sni), keep-alive reused', async () => {
    const p = await sidecar(tlsCluster({ caFile: pki.caFile, auto: true }));
    const a = await send(p.port('0.0.0.0_80'), { host: HOST, path: '/books/v1/volumes' });
    expect(a.status).toBe(200);
    expect(a.json()).toEqual({ sni: HOST, host: HOST, line: 'GET /books/v1/volumes HTTP/1.1' });
    const b = await send(p.port('0.0.0.0_80'), { host: HOST });
    expect(b.status).toBe(200);
    expect(server.seen).toHaveLength(1); // one TLS connection, kept alive
    expect(await stats(p)).toContain(`cluster.${TLS_CLUSTER}.ssl.handshake: 1\n`);
  });

  it('sends the DestinationRule sni and checks subjectAltNames', async () => {
    const p = await sidecar(tlsCluster({ caFile: pki.caFile, sni: 'api.example.test', sans: ['api.example.test'] }));
    expect((await send(p.port('0.0.0.0_80'), { host: HOST })).json()['sni']).toBe('api.example.test');
    expect(server.seen.map((s) => s.sni)).toEqual(['api.example.test']);
  });

  it('wrong CA: 503 UF with Envoy\'s transport failure reason, ssl.fail_verify_error and upstream_cx_connect_fail', async () => {
    const lines: string[] = [];
    const p = await sidecar(tlsCluster({ caFile: pki.otherCaFile, auto: true }), undefined, lines);
    const r = await send(p.port('0.0.0.0_80'), { host: HOST });
    const reason = 'TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end';
    expect(r.status).toBe(503);
    expect(r.body).toBe(`upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: ${reason}`);
    const s = await stats(p);
    expect(s).toContain(`cluster.${TLS_CLUSTER}.ssl.fail_verify_error: 1\n`);
    expect(s).toContain(`cluster.${TLS_CLUSTER}.ssl.handshake: 0\n`);
    expect(s).toContain(`cluster.${TLS_CLUSTER}.upstream_cx_connect_fail: 1\n`);
    expect(lines.join('')).toContain(' UF ');
    expect(lines.join('')).toContain('upstream_reset_before_response_started{connection_failure,TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end}');
  });

  it('a SAN mismatch fails verification (ssl.fail_verify_san)', async () => {
    const p = await sidecar(tlsCluster({ caFile: pki.caFile, sans: ['spiffe://elsewhere'] }));
    expect((await send(p.port('0.0.0.0_80'), { host: HOST })).status).toBe(503);
    expect(await stats(p)).toContain(`cluster.${TLS_CLUSTER}.ssl.fail_verify_san: 1\n`);
  });

  it('TLS to a plaintext server: ssl.connection_error and a 503 UF', async () => {
    const plain = createNetServer((s) => s.resume().on('error', () => undefined).end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => plain.close(r)));
    const c = tlsCluster({ caFile: pki.caFile, auto: true });
    const p = await startProxy({ clusters: [c], endpoints: [assignment(TLS_CLUSTER, [{ port: (plain.address() as AddressInfo).port }])], listeners: [httpListener('0.0.0.0_80', 80, '80')], routes: [egressRoutes] });
    closers.push(() => p.proxy.close());
    const r = await send(p.port('0.0.0.0_80'), { host: HOST });
    expect(r.status).toBe(503);
    expect(r.body).toContain('transport failure reason: TLS_error:|');
    expect(await stats(p)).toContain(`cluster.${TLS_CLUSTER}.ssl.connection_error: 1\n`);
    await new Promise((r) => setTimeout(r, 100));
    expect(await new Promise((r) => plain.getConnections((_e, n) => r(n)))).toBe(0); // the failed socket was closed
  });

  it('NACKs a cluster whose CA file cannot be read, naming cluster and file, and keeps the last good config', async () => {
    const p = await sidecar(tlsCluster({ caFile: pki.caFile, auto: true }));
    const missing = path.join(pki.dir, 'missing-ca.pem');
    expect(() => p.proxy.apply('CDS', [tlsCluster({ caFile: missing })])).toThrow(
      `cluster ${TLS_CLUSTER}: transport_socket common_tls_context.validation_context.trusted_ca: cannot read ${missing} (ENOENT)`,
    );
    expect((await send(p.port('0.0.0.0_80'), { host: HOST })).status).toBe(200);
  });

  it('MUTUAL: presents the client certificate from files', async () => {
    const mtls = await startTlsServer(pki, answerHttp, { requestCert: true });
    closers.push(() => mtls.close());
    const c = tlsCluster({ caFile: pki.caFile, sni: HOST, mutual: { cert: pki.clientCertFile, key: pki.clientKeyFile } });
    const p = await startProxy({ clusters: [c], endpoints: [assignment(TLS_CLUSTER, [{ port: mtls.port }])], listeners: [httpListener('0.0.0.0_80', 80, '80')], routes: [egressRoutes] });
    closers.push(() => p.proxy.close());
    expect((await send(p.port('0.0.0.0_80'), { host: HOST })).status).toBe(200);
    expect(mtls.seen).toEqual([{ sni: HOST, alpn: false, clientCert: true }]);
  });

  it('HTTP/2 clusters: h2 over TLS with ALPN h2', async () => {
    const h2 = http2.createSecureServer({ cert: pki.serverCert, key: pki.serverKey });
    h2.on('stream', (stream, headers) => {
      const tls = stream.session?.socket as { servername?: string; alpnProtocol?: string } | undefined;
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(JSON.stringify({ sni: tls?.servername, alpn: tls?.alpnProtocol, scheme: headers[':scheme'] }));
    });
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => h2.close(() => r(undefined))));
    const c = tlsCluster({ caFile: pki.caFile, sni: HOST, alpn: ['h2'] });
    const p = await startProxy({ clusters: [c], endpoints: [assignment(TLS_CLUSTER, [{ port: (h2.address() as AddressInfo).port }])], listeners: [httpListener('0.0.0.0_80', 80, '80')], routes: [egressRoutes] });
    closers.push(() => p.proxy.close());
    const r = await send(p.port('0.0.0.0_80'), { host: HOST });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ sni: HOST, alpn: 'h2', scheme: 'https' });
  });

  it('tcp_proxy with a TLS upstream: bytes through, SNI from the cluster', async () => {
    const echo = await startTlsServer(pki, (s) => {
      s.on('data', (d: Buffer) => s.write(d));
      s.on('end', () => s.end());
    });
    closers.push(() => echo.close());
    const listener: Listener = {
      name: 'tls-egress',
      address: { socket_address: { address: '127.0.0.1', port_value: 31443 } },
      filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': KNOWN_TYPES.tcpProxy, stat_prefix: 'tls-egress', cluster: TLS_CLUSTER } }] }],
    };
    const p = await startProxy({ clusters: [tlsCluster({ caFile: pki.caFile, sni: HOST })], endpoints: [assignment(TLS_CLUSTER, [{ port: echo.port }])], listeners: [listener] });
    closers.push(() => p.proxy.close());
    const got = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: p.port('tls-egress'), allowHalfOpen: true });
      const chunks: Buffer[] = [];
      s.on('data', (d: Buffer) => chunks.push(d));
      s.on('end', () => s.end());
      s.on('close', () => resolve(Buffer.concat(chunks).toString()));
      s.end('ping over tls');
    });
    expect(got).toBe('ping over tls');
    expect(echo.seen.map((s) => s.sni)).toEqual([HOST]);
    expect(await stats(p)).toContain(`cluster.${TLS_CLUSTER}.ssl.handshake: 1\n`);
  });

  it('tcp_proxy with the wrong CA closes the downstream and counts the failure', async () => {
    const p = await startProxy({
      clusters: [tlsCluster({ caFile: pki.otherCaFile, sni: HOST })],
      endpoints: [assignment(TLS_CLUSTER, [{ port: server.port }])],
      listeners: [{ name: 't', address: { socket_address: { address: '127.0.0.1', port_value: 31444 } }, filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': KNOWN_TYPES.tcpProxy, stat_prefix: 't', cluster: TLS_CLUSTER } }] }] }],
    });
    closers.push(() => p.proxy.close());
    await new Promise<void>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: p.port('t') });
      s.on('error', () => undefined);
      s.on('close', () => resolve());
      s.write('hello');
    });
    const s = await stats(p);
    expect(s).toContain(`cluster.${TLS_CLUSTER}.ssl.fail_verify_error: 1\n`);
    expect(s).toContain(`cluster.${TLS_CLUSTER}.upstream_cx_connect_fail: 1\n`);
  });
});


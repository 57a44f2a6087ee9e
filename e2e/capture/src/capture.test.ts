/**
 * Pods as network namespaces with real iptables capture: the generated istio-iptables script in
 * every pod, the proxy as uid 1337, Bookinfo behind it, and productpage → reviews → ratings flowing
 * through every sidecar with Host-based routing on 15001/15006, and TCP routed by SO_ORIGINAL_DST (the
 * proxy's addon) to a tcp-echo Service and through PassthroughCluster; sidecars speak mTLS (auto mTLS, the
 * control plane's CA issues each its certificate).
 * Needs root, `ip`, `iptables` and `setpriv`; otherwise skipped with the reason in the test name.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { APP_PORT, CaptureMesh, EGRESS_ECHO_PORT, EXTERNAL_TLS, INBOUND_CLUSTER, ROOT, TCP_ECHO, fqdn, outboundCluster } from './mesh';
import { missingPrerequisite } from './netns';
import { nsGet } from './ns-http';

const skipReason = missingPrerequisite();

/** `cluster.<name>.upstream_rq_total: N` from the admin /stats text (0 when absent). */
function upstreamRequests(stats: string, cluster: string): number {
  const line = stats.split('\n').find((l) => l.startsWith(`cluster.${cluster}.upstream_rq_total: `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Packet counts of the REDIRECT rules of a chain (`iptables -t nat -L <chain> -v -n -x`). */
function redirectedPackets(listing: string, target: string): number {
  return listing
    .split('\n')
    .filter((l) => l.includes(target))
    .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0] ?? 0), 0);
}

/** The SO_ORIGINAL_DST addon next to the proxy bundle (`npm run build` compiles it when g++/make/python3 exist). */
const noAddon = existsSync(path.join(ROOT, 'dist/apps/proxy/original_dst.node')) ? undefined : 'dist/apps/proxy/original_dst.node not built (no C toolchain)';

/** A TCP client run inside a pod (as the app, so its connection is captured): writes, half-closes, prints what came back. */
const tcpClient = (host: string, port: number, payload: string): string =>
  `const s = require('node:net').connect({ host: ${JSON.stringify(host)}, port: ${port}, allowHalfOpen: true });` +
  `let got = ''; s.on('data', (d) => (got += d)); s.on('end', () => s.end()); s.on('error', (e) => (got += 'ERR ' + e.message));` +
  `s.on('close', () => process.stdout.write(got)); s.end(${JSON.stringify(payload)});`;

/** A TLS client run inside a pod: connects to host:port with that SNI, prints what the server said (or the error). */
const tlsClient = (host: string, port: number): string =>
  `const s = require('node:tls').connect({ host: ${JSON.stringify(host)}, port: ${port}, servername: ${JSON.stringify(host)}, rejectUnauthorized: false });` +
  `let got = ''; s.on('data', (d) => (got += d)); s.on('error', (e) => (got += 'ERR ' + e.message)); s.on('close', () => process.stdout.write(got));`;

/** `<name>: N` from the admin /stats text (0 when absent). */
function stat(stats: string, name: string): number {
  const line = stats.split('\n').find((l) => l.startsWith(`${name}: `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** `tcp.<prefix>.downstream_cx_total: N` from the admin /stats text (0 when absent). */
function tcpConnections(stats: string, prefix: string): number {
  const line = stats.split('\n').find((l) => l.startsWith(`tcp.${prefix}.downstream_cx_total: `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

if (skipReason !== undefined) {
  process.stderr.write(`e2e/capture skipped: ${skipReason}\n`);
  describe('iptables capture with pods as network namespaces', () => {
    it.skip(`SKIPPED: ${skipReason}`, () => undefined);
  });
} else {
  describe('iptables capture with pods as network namespaces', () => {
    const mesh = new CaptureMesh();
    const pp = (): string => mesh.topo.pod('productpage-v1').ip;
    let page = { status: 0, body: '' };

    beforeAll(async () => {
      await mesh.createNetwork();
      await mesh.startControlPlane();
      await mesh.startPods();
      await mesh.waitReady(20_000);
      // A user in another "pod" (the bridge namespace) calls productpage's pod IP: captured inbound.
      page = await nsGet(mesh.topo, mesh.topo.bridgeNs, `http://${pp()}:${APP_PORT}/productpage`);
      mesh.timings['firstPage'] = Date.now() - mesh.startedAt;
    }, 40_000);

    afterAll(async () => {
      await mesh.destroy();
    }, 10_000);

    it('resolves Service names to their VIPs with Node dns.lookup inside a pod (/etc/netns/<ns>/hosts)', async () => {
      const script = "require('node:dns').lookup('reviews', { family: 4 }, (e, a) => process.stdout.write(e ? String(e) : a))";
      const r = await mesh.topo.exec(mesh.topo.pod('productpage-v1').ns, [process.execPath, '-e', script]);
      expect(r.stdout).toBe(mesh.topo.vip(2));
    });

    it('serves the product page with black stars: productpage → reviews-v2 → ratings worked', () => {
      expect({ status: page.status, logs: page.status === 200 ? '' : `${page.body}\n${mesh.topo.logs()}` }).toEqual({ status: 200, logs: '' });
      expect(page.body).toContain('<title>Simple Bookstore App</title>');
      expect(page.body).toContain('Reviews served by: \n                  reviews-v2');
      expect(page.body).toContain('text-black-500');
      expect(page.body).toContain('glyphicon glyphicon-star');
      expect(page.body).toContain('ISBN-10');
      expect(page.body).not.toMatch(/Ratings service is currently unavailable|Error fetching product/);
    });

    it('sent every hop through a sidecar (admin /stats upstream_rq_total)', async () => {
      const [productpage, reviews, ratings, details] = await Promise.all(
        ['productpage-v1', 'reviews-v2', 'ratings-v1', 'details-v1'].map((p) => mesh.stats(p)),
      );
      const counts = {
        productpageInbound: upstreamRequests(productpage, INBOUND_CLUSTER),
        productpageToReviews: upstreamRequests(productpage, outboundCluster('reviews')),
        productpageToDetails: upstreamRequests(productpage, outboundCluster('details')),
        reviewsInbound: upstreamRequests(reviews, INBOUND_CLUSTER),
        reviewsToRatings: upstreamRequests(reviews, outboundCluster('ratings')),
        ratingsInbound: upstreamRequests(ratings, INBOUND_CLUSTER),
        detailsInbound: upstreamRequests(details, INBOUND_CLUSTER),
      };
      for (const [hop, n] of Object.entries(counts)) expect({ hop, ok: n >= 1 }).toEqual({ hop, ok: true });
    });

    it('routes inbound HTTP by the original destination port, not the Host port (a client outside the mesh naming the Service port)', async () => {
      // Istio: the chain is picked by SO_ORIGINAL_DST. Host names a port no chain has (as `httpbin.bar:8000` for
      // targetPort 8080 in the mtls-migration task); the connection went to 9080.
      const r = await mesh.topo.exec(mesh.topo.bridgeNs, ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: productpage.default:8000', `http://${pp()}:${APP_PORT}/productpage`]);
      expect(r.stdout).toBe('200');
    });

    it('spoke mutual TLS between the sidecars (auto mTLS, each with its SPIFFE certificate from the CA)', async () => {
      const [productpage, reviews] = await Promise.all([mesh.stats('productpage-v1'), mesh.stats('reviews-v2')]);
      expect({
        clientHandshakes: stat(productpage, `cluster.${outboundCluster('reviews')}.ssl.handshake`) >= 1,
        serverHandshakes: stat(reviews, 'listener.virtualInbound.ssl.handshake') >= 1,
      }).toEqual({ clientHandshakes: true, serverHandshakes: true });
    });

    it('counted packets on the REDIRECT rules in the productpage pod (outbound → 15001, inbound → 15006)', async () => {
      const ns = mesh.topo.pod('productpage-v1').ns;
      const list = async (chain: string): Promise<string> => (await mesh.topo.exec(ns, ['iptables', '-t', 'nat', '-L', chain, '-v', '-n', '-x'])).stdout;
      const [output, redirect, inRedirect] = await Promise.all([list('ISTIO_OUTPUT'), list('ISTIO_REDIRECT'), list('ISTIO_IN_REDIRECT')]);
      expect(redirectedPackets(output, 'ISTIO_REDIRECT')).toBeGreaterThanOrEqual(2);
      expect(redirectedPackets(redirect, 'redir ports 15001')).toBeGreaterThanOrEqual(2);
      expect(redirectedPackets(inRedirect, 'redir ports 15006')).toBeGreaterThanOrEqual(1);
    });

    const tcpIt = noAddon === undefined ? it : it.skip;
    tcpIt(`carries TCP through both sidecars by SO_ORIGINAL_DST (VIP → <vip>_${TCP_ECHO.port} → tcp-echo's virtualInbound chain), half-close included${noAddon ? ` — SKIPPED: ${noAddon}` : ''}`, async () => {
      const ns = mesh.topo.pod('productpage-v1').ns;
      const r = await mesh.topo.exec(ns, [process.execPath, '-e', tcpClient('tcp-echo', TCP_ECHO.port, 'ping')]);
      expect({ out: r.stdout, logs: r.stdout === 'hello ping' ? '' : `${r.stderr}\n${mesh.topo.logs()}` }).toEqual({ out: 'hello ping', logs: '' });
      const [client, server] = await Promise.all([mesh.stats('productpage-v1'), mesh.stats(TCP_ECHO.name)]);
      expect(tcpConnections(client, `outbound|${TCP_ECHO.port}||${fqdn(TCP_ECHO.app)}`)).toBe(1);
      expect(tcpConnections(server, `inbound|${TCP_ECHO.port}||`)).toBe(1);
    });

    tcpIt(`passes TCP to a destination no Service declares through PassthroughCluster${noAddon ? ` — SKIPPED: ${noAddon}` : ''}`, async () => {
      const ns = mesh.topo.pod('productpage-v1').ns;
      const r = await mesh.topo.exec(ns, [process.execPath, '-e', tcpClient(mesh.topo.bridgeIp, EGRESS_ECHO_PORT, 'out')]);
      expect(r.stdout).toBe('egress out');
      expect(tcpConnections(await mesh.stats('productpage-v1'), 'PassthroughCluster')).toBe(1);
    });

    tcpIt(`detects the protocol on an undeclared port: HTTP routed as HTTP, anything else carried as TCP${noAddon ? ` — SKIPPED: ${noAddon}` : ''}`, async () => {
      const ns = mesh.topo.pod('productpage-v1').ns;
      const tcp = await mesh.topo.exec(ns, [process.execPath, '-e', tcpClient('tcp-echo', TCP_ECHO.autoPort, 'ping')]);
      const http = await nsGet(mesh.topo, ns, `http://tcp-echo:${TCP_ECHO.autoPort}/`);
      expect({ tcp: tcp.stdout, http: `${http.status} ${http.body}` }).toEqual({ tcp: 'auto ping', http: '200 http auto' });
      const [client, server] = await Promise.all([mesh.stats('productpage-v1'), mesh.stats(TCP_ECHO.name)]);
      const cluster = `outbound|${TCP_ECHO.autoPort}||${fqdn(TCP_ECHO.app)}`;
      expect({ tcp: tcpConnections(client, cluster), http: upstreamRequests(client, cluster) }).toEqual({ tcp: 1, http: 1 });
      expect({ tcp: tcpConnections(server, `inbound|${TCP_ECHO.autoPort}||`), http: upstreamRequests(server, `inbound|${TCP_ECHO.autoPort}||`) }).toEqual({ tcp: 1, http: 1 });
      expect(stat(client, 'http_inspector.http11_found')).toBe(1);
      expect(stat(client, 'http_inspector.http_not_found')).toBe(1);
    });

    tcpIt(`routes TLS egress by SNI: a ServiceEntry's host to its cluster, an undeclared name through the fallthrough chain${noAddon ? ` — SKIPPED: ${noAddon}` : ''}`, async () => {
      const se = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: { name: 'external-api', namespace: 'default' },
        spec: { hosts: [EXTERNAL_TLS.declared], ports: [{ number: EXTERNAL_TLS.port, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' },
      };
      await mesh.applyConfig([se]);
      const ns = mesh.topo.pod('productpage-v1').ns;
      const cluster = `outbound|${EXTERNAL_TLS.port}||${EXTERNAL_TLS.declared}`;
      // Wait for the push: the SNI listener 0.0.0.0_443 arrives with LDS.
      for (let i = 0; i < 20 && !(await mesh.listenerNames('productpage-v1')).includes(`0.0.0.0_${EXTERNAL_TLS.port}`); i++) await new Promise((r) => setTimeout(r, 100));
      const declared = (await mesh.topo.exec(ns, [process.execPath, '-e', tlsClient(EXTERNAL_TLS.declared, EXTERNAL_TLS.port)])).stdout;
      const undeclared = (await mesh.topo.exec(ns, [process.execPath, '-e', tlsClient(EXTERNAL_TLS.undeclared, EXTERNAL_TLS.port)])).stdout;
      expect({ declared, undeclared }).toEqual({ declared: `tls ${EXTERNAL_TLS.declared}`, undeclared: `tls ${EXTERNAL_TLS.undeclared}` });
      const s = await mesh.stats('productpage-v1');
      expect(stat(s, `tcp.${cluster}.downstream_cx_total`)).toBe(1);
      expect(stat(s, `cluster.${cluster}.upstream_cx_total`)).toBe(1);
      expect(stat(s, 'tcp.PassthroughCluster.downstream_cx_total')).toBe(2);
      expect(stat(s, 'tls_inspector.sni_found')).toBe(2);
    });

    // Timings are reported, not asserted: performance is measured by benchmarks, and a timed
    // assertion only measured how loaded the CI machine was.
    it('reports how long the mesh took to come up', () => {
      process.stdout.write(`capture e2e timings (ms since start): ${JSON.stringify(mesh.timings)}\n`);
      expect(mesh.timings['firstPage']).toBeGreaterThan(0);
    });
  });
}

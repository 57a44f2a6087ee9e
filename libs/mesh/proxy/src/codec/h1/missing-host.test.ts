/**
 * A request without Host through the whole proxy, on real sockets, with both downstream HTTP/1.1
 * codecs: Envoy's HCM answers `400` (`missing_host_header`, no response flag, logged without a
 * route or upstream) before any filter runs and keeps the connection; an absolute-form target carries
 * its authority. HTTP/1.0 is answered `426` (`low_version`) unless the HCM has
 * `http_protocol_options.accept_http_10`; then one without Host gets `default_host_for_http_10` when the
 * HCM has one and is a 400 like any other otherwise.
 */
import { connect } from 'node:net';
import type { Http1ProtocolOptions } from '@trellis/mesh-envoy';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../../testing/envoy-fixtures';
import { type TestProxy, type Upstream, startProxy, startUpstream } from '../../testing/harness';

/** Writes raw bytes, reads until `responses` complete heads with their bodies arrived (or 2 s). */
function raw(port: number, bytes: string, responses: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(finish, 2_000);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.split('HTTP/1.1 ').length - 1 >= responses && /\r\n\r\n[^]*$/.test(text) && complete(text)) finish();
    });
    socket.on('error', reject);
    socket.on('close', finish);
    socket.write(bytes, 'latin1');
  });
}

/** Every response in `text` has its content-length's worth of body. */
function complete(text: string): boolean {
  let rest = text;
  while (rest.length > 0) {
    const head = rest.indexOf('\r\n\r\n');
    if (head < 0) return false;
    const length = Number(/content-length: *(\d+)/i.exec(rest.slice(0, head))?.[1] ?? 0);
    if (rest.length < head + 4 + length) return false;
    rest = rest.slice(head + 4 + length);
  }
  return true;
}

const statusLines = (text: string): string[] => text.split('\r\n').filter((l) => l.startsWith('HTTP/1.'));

describe.each([true, false])('a request without Host (private APIs %s)', (privateApis) => {
  let upstream: Upstream;
  let p: TestProxy;
  const lines: string[] = [];
  const c = svc('reviews');

  async function proxyWith(http1?: Http1ProtocolOptions): Promise<TestProxy> {
    const base = httpListener('0.0.0.0_9080', 9080, '9080');
    const hcm = base.filter_chains?.[0]?.filters?.[0]?.typed_config as Record<string, unknown>;
    if (http1 !== undefined) hcm['http_protocol_options'] = http1;
    return startProxy(
      {
        clusters: [edsCluster(c)],
        endpoints: [assignment(c, [{ port: upstream.port }])],
        listeners: [base],
        routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: c })])])],
      },
      { privateApis, accessLog: { write: (l: string) => lines.push(l) } },
    );
  }

  beforeAll(async () => {
    upstream = await startUpstream('reviews');
    p = await proxyWith();
  });
  afterAll(async () => {
    await p.proxy.close();
    await upstream.close();
  });
  beforeEach(() => (lines.length = 0));

  it('answers an HTTP/1.1 request 400 missing_host_header, logs it as Envoy does, and keeps the connection', async () => {
    const text = await raw(p.port('0.0.0.0_9080'), 'GET /reviews/0 HTTP/1.1\r\n\r\nGET /reviews/1 HTTP/1.1\r\nhost: reviews\r\n\r\n', 2);
    expect(statusLines(text)).toEqual(['HTTP/1.1 400 Bad Request', 'HTTP/1.1 200 OK']);
    const first = text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase();
    expect(first).toContain('content-length: 0');
    expect(first).toContain('server: envoy');
    await new Promise((r) => setTimeout(r, 50));
    const log = lines.find((l) => l.includes('/reviews/0'));
    // Istio's TEXT format: code, flags ("-"), details, …; no route, no upstream, no x-request-id yet.
    expect(log).toMatch(/"GET \/reviews\/0 HTTP\/1.1" 400 - missing_host_header - /);
    expect(log).toMatch(/"-" "-" "-" "-" "-" - - /);
    expect(lines.find((l) => l.includes('/reviews/1'))).toMatch(/ 200 - via_upstream /);
  });

  it('routes an absolute-form target without Host by its authority', async () => {
    const text = await raw(p.port('0.0.0.0_9080'), 'GET http://reviews:9080/reviews/2 HTTP/1.1\r\n\r\n', 1);
    expect(statusLines(text)).toEqual(['HTTP/1.1 200 OK']);
  });

  it('answers HTTP/1.0 426 Upgrade Required (low_version, no flag, never upstream) without accept_http_10', async () => {
    const before = upstream.seen.length;
    const text = await raw(p.port('0.0.0.0_9080'), 'GET /reviews/6 HTTP/1.0\r\nhost: reviews\r\n\r\n', 1);
    expect(statusLines(text)).toEqual(['HTTP/1.1 426 Upgrade Required']);
    expect(upstream.seen.length).toBe(before);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.find((l) => l.includes('/reviews/6'))).toMatch(/"GET \/reviews\/6 HTTP\/1.0" 426 - low_version - /);
    // Version first, as Envoy's HCM checks it: without Host too it is a 426, not a 400.
    expect(statusLines(await raw(p.port('0.0.0.0_9080'), 'GET /reviews/3 HTTP/1.0\r\n\r\n', 1))).toEqual(['HTTP/1.1 426 Upgrade Required']);
  });

  it('with accept_http_10 serves HTTP/1.0; without Host it is a 400 unless default_host_for_http_10', async () => {
    const accepting = await proxyWith({ accept_http_10: true });
    const withDefault = await proxyWith({ accept_http_10: true, default_host_for_http_10: 'reviews.default' });
    try {
      expect(statusLines(await raw(accepting.port('0.0.0.0_9080'), 'GET /reviews/7 HTTP/1.0\r\nhost: reviews\r\n\r\n', 1))).toEqual(['HTTP/1.1 200 OK']);
      expect(statusLines(await raw(accepting.port('0.0.0.0_9080'), 'GET /reviews/3 HTTP/1.0\r\n\r\n', 1))).toEqual(['HTTP/1.1 400 Bad Request']);
      const text = await raw(withDefault.port('0.0.0.0_9080'), 'GET /reviews/4 HTTP/1.0\r\n\r\n', 1);
      expect(statusLines(text)).toEqual(['HTTP/1.1 200 OK']);
      // The upstream saw the default host (the harness's echo upstream returns the request it got).
      expect(text).toContain('reviews.default');
      expect(statusLines(await raw(withDefault.port('0.0.0.0_9080'), 'GET /reviews/5 HTTP/1.1\r\n\r\n', 1))).toEqual(['HTTP/1.1 400 Bad Request']);
    } finally {
      await accepting.proxy.close();
      await withDefault.proxy.close();
    }
  });
});

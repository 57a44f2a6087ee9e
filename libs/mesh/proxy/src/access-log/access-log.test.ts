import { type AddressInfo, connect, createServer } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_ACCESS_LOG_TYPE, CEL_ACCESS_LOG_FILTER_TYPE } from '@trellis/mesh-envoy';
import type { Listener } from '../config/envoy-types';
import { KNOWN_TYPES } from '../config/proto';
import type { ProxyRuntime } from '../runtime';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, sleep, startProxy, startUpstream } from '../testing/harness';
import { DEFAULT_TEXT_FORMAT, compileFormat } from './format';
import { compileCelFilter } from './cel-filter';
import type { LogRecord } from './log-record';
import { fileSinks } from './sinks';

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const FIXED: ProxyRuntime = { random: () => 0.5, clock: { now: () => T0, monotonic: () => 1000 } };

const record = (over: Partial<LogRecord> = {}, req: Record<string, string> = {}): LogRecord => ({
  startMs: T0, durationMs: 12, protocol: 'HTTP/1.1', responseCode: 200, responseFlags: '', responseCodeDetails: 'via_upstream',
  connectionTerminationDetails: '', upstreamTransportFailureReason: '', bytesReceived: 0, bytesSent: 295,
  upstreamHost: '10.0.0.7:9080', upstreamCluster: 'outbound|9080||reviews.default.svc.cluster.local', upstreamLocalAddress: '10.0.0.5:40000',
  downstreamLocalAddress: '10.96.0.1:9080', downstreamRemoteAddress: '10.0.0.5:51234', requestedServerName: '', routeName: 'default', mtls: false,
  requestHeader: (n) => ({ ':method': 'GET', ':path': '/reviews/0', ':authority': 'reviews:9080', 'x-request-id': 'abc', 'user-agent': 'curl/8', ...req })[n],
  responseHeader: (n) => (n === 'x-envoy-upstream-service-time' ? '9' : undefined),
  ...over,
});

const fileLog = (path: string, extra: Record<string, unknown> = {}, filter?: string): Record<string, unknown> => ({
  name: 'envoy.access_loggers.file',
  typed_config: { '@type': FILE_ACCESS_LOG_TYPE, path, ...extra },
  ...(filter === undefined ? {} : { filter: { extension_filter: { name: 'envoy.access_loggers.extension_filters.cel', typed_config: { '@type': CEL_ACCESS_LOG_FILTER_TYPE, expression: filter } } } }),
});

describe('format: Envoy command operators compiled once', () => {
  it("Istio's default TEXT line", () => {
    expect(compileFormat(undefined)(record())).toBe(
      '[2024-01-02T03:04:05.678Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 295 12 9 "-" "curl/8" "abc" "reviews:9080" "10.0.0.7:9080" outbound|9080||reviews.default.svc.cluster.local 10.0.0.5:40000 10.96.0.1:9080 10.0.0.5:51234 - default\n',
    );
  });

  it('REQ fallback and truncation, START_TIME formats, *_WITHOUT_PORT, omit_empty_values', () => {
    const f = compileFormat({ text_format_source: { inline_string: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH):4% %START_TIME(%Y/%m/%d %H:%M:%E3S)% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %UPSTREAM_SERVICE_TIME%\n' } });
    expect(f(record())).toBe('/rev 2024/01/02 03:04:05.678 10.0.0.5 9\n');
    expect(compileFormat({ text_format_source: { inline_string: 'a%RESPONSE_FLAGS%b' }, omit_empty_values: true })(record())).toBe('ab');
  });

  it('json_format keeps numbers, null for unknown, text for mixed values', () => {
    const f = compileFormat({ json_format: { code: '%RESPONSE_CODE%', flags: '%RESPONSE_FLAGS%', route: 'r=%ROUTE_NAME%', fixed: 7 } });
    expect(JSON.parse(f(record()))).toEqual({ code: 200, flags: null, route: 'r=default', fixed: 7 });
  });

  it("rejects what Envoy rejects", () => {
    expect(() => compileFormat({ text_format_source: { inline_string: '%NOPE%' } })).toThrow('Not supported field in StreamInfo: NOPE');
    expect(() => compileFormat({ text_format_source: { inline_string: '100% done' } })).toThrow(/Couldn't find valid command at position 3/);
    expect(DEFAULT_TEXT_FORMAT.endsWith('%ROUTE_NAME%\n')).toBe(true);
  });
});

describe('CEL filter: the forms Istio users write', () => {
  const cases: [string, Partial<LogRecord>, Record<string, string>, boolean][] = [
    ['response.code >= 400', { responseCode: 503 }, {}, true],
    ['response.code >= 400', {}, {}, false],
    ['response.code == 200', {}, {}, true],
    ["request.headers['x-debug'] == 'on'", {}, { 'x-debug': 'on' }, true],
    ["request.headers['x-debug'] == 'on'", {}, {}, false],
    ["response.code >= 500 || request.headers['x-debug'] == 'on'", {}, { 'x-debug': 'on' }, true],
    ["!(response.code == 200) && request.method == 'GET'", { responseCode: 404 }, {}, true],
    ['connection.mtls', { mtls: true }, {}, true],
    ['!connection.mtls', { mtls: true }, {}, false],
    ["upstream.address == '10.0.0.7' && upstream.port == 9080", {}, {}, true],
    ["response.code == '200'", {}, {}, false],
  ];
  it.each(cases)('%s', (expr, over, headers, want) => expect(compileCelFilter(expr)(record(over, headers))).toBe(want));

  it('unknown attributes and bad syntax throw at compile', () => {
    expect(() => compileCelFilter('response.nope > 1')).toThrow("undeclared reference to 'response.nope'");
    expect(() => compileCelFilter('response.code >=')).toThrow(/Syntax error/);
    expect(() => compileCelFilter("size(request.path) > 1")).toThrow(/Syntax error|undeclared/);
  });
});

describe('access_log on a real proxy', () => {
  let u: Upstream;
  beforeAll(async () => (u = await startUpstream('reviews')));
  afterAll(() => u.close());

  const hcmWith = (accessLog: unknown[]): Listener => {
    const l = httpListener('0.0.0.0_9080', 9080, '9080');
    const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as Record<string, unknown>;
    hcm['access_log'] = accessLog;
    return l;
  };
  const start = (listener: Listener, lines: string[]): Promise<TestProxy> =>
    startProxy(
      {
        clusters: [edsCluster(svc('reviews'))],
        endpoints: [assignment(svc('reviews'), [{ port: u.port }])],
        listeners: [listener],
        routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: svc('reviews') }, { name: 'default' })])])],
      },
      { accessLog: { write: (l: string) => lines.push(l) }, runtime: FIXED },
    );

  it("writes Envoy's TEXT line for a known request (fixed clock)", async () => {
    const lines: string[] = [];
    const p = await start(hcmWith([fileLog('/dev/stdout', { log_format: { text_format_source: { inline_string: DEFAULT_TEXT_FORMAT } } })]), lines);
    try {
      const port = p.port('0.0.0.0_9080');
      const r = await send(port, { path: '/reviews/0', headers: { 'x-request-id': 'req-1', 'user-agent': 'test/1' } });
      expect(lines).toHaveLength(1);
      const line = lines[0] as string;
      const remote = /127\.0\.0\.1:(\d+) - default\n$/.exec(line)?.[1];
      expect(line).toBe(
        `[2024-01-02T03:04:05.678Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 ${Buffer.byteLength(r.body)} 0 0 "-" "test/1" "req-1" "reviews:9080" ` +
          `"127.0.0.1:${u.port}" ${svc('reviews')} - 127.0.0.1:${port} 127.0.0.1:${remote} - default\n`,
      );
    } finally {
      await p.proxy.close();
    }
  });

  it('JSON lines; the filter response.code >= 400 logs only errors', async () => {
    const lines: string[] = [];
    const json = fileLog('/dev/stdout', { log_format: { json_format: { code: '%RESPONSE_CODE%', id: '%REQ(X-REQUEST-ID)%' } } }, 'response.code >= 400');
    const l = hcmWith([json]);
    const p = await start(l, lines);
    try {
      const port = p.port('0.0.0.0_9080');
      await send(port, { headers: { 'x-request-id': 'ok' } });
      await send(port, { host: 'nowhere', headers: { 'x-request-id': 'bad' } }).catch(() => undefined);
      expect(lines.map((x) => JSON.parse(x) as unknown)).toEqual([]);
      // no route for host 'nowhere' is a 404 only when the vhost does not match '*': use a dead cluster instead.
      await p.proxy.apply('EDS', [assignment(svc('reviews'), [])]);
      await send(port, { headers: { 'x-request-id': 'bad' } });
      expect(lines.map((x) => JSON.parse(x) as unknown)).toEqual([{ code: 503, id: 'bad' }]);
    } finally {
      await p.proxy.close();
    }
  });

  it('a file path is appended to; a malformed format or CEL is NACKed naming it and the previous config stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-al-'));
    const path = join(dir, 'logs', 'access.log');
    const lines: string[] = [];
    const p = await startProxy(
      { clusters: [edsCluster(svc('reviews'))], endpoints: [assignment(svc('reviews'), [{ port: u.port }])], listeners: [hcmWith([fileLog(path, { log_format: { text_format_source: { inline_string: '%RESPONSE_CODE% %REQ(X-REQUEST-ID)%' } } })])], routes: [routeConfig('9080', [vhost('reviews', ['*'], [route({ prefix: '/' }, { cluster: svc('reviews') })])])] },
      { runtime: FIXED },
    );
    try {
      const port = p.port('0.0.0.0_9080');
      await send(port, { headers: { 'x-request-id': 'f1' } });
      expect(() => p.proxy.apply('LDS', [hcmWith([fileLog(path, { log_format: { text_format_source: { inline_string: '%BOGUS%' } } })])])).toThrow(/access_log\[0\]: Not supported field in StreamInfo: BOGUS/);
      expect(() => p.proxy.apply('LDS', [hcmWith([fileLog(path, {}, 'response.code >= (400')])])).toThrow(/access_log\[0\]: filter: CEL expression "response.code >= \(400"/);
      await send(port, { headers: { 'x-request-id': 'f2' } });
      for (let i = 0; i < 50 && !readText(path).includes('f2'); i++) await sleep(20);
      // Envoy adds no newline to a text format (istiod writes one into every format it emits).
      expect(readText(path)).toBe('200 f1200 f2');
      expect(lines).toEqual([]);
    } finally {
      await p.proxy.close();
    }
  });

  it('tcp_proxy: one line per connection with its bytes and upstream', async () => {
    const echo = createServer((s) => s.on('data', (d) => s.write(d)).on('end', () => s.end()));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const ePort = (echo.address() as AddressInfo).port;
    const c = 'outbound|3306||mysqldb.default.svc.cluster.local';
    const lines: string[] = [];
    const tcp: Listener = {
      name: 'db',
      address: { socket_address: { address: '127.0.0.1', port_value: 3306 } },
      filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': KNOWN_TYPES.tcpProxy, stat_prefix: c, cluster: c, access_log: [fileLog('/dev/stdout')] } }] }],
    };
    const p = await startProxy({ clusters: [edsCluster(c)], endpoints: [assignment(c, [{ port: ePort }])], listeners: [tcp] }, { accessLog: { write: (l: string) => lines.push(l) }, runtime: FIXED });
    try {
      const port = p.port('db');
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.end('hello'));
        s.on('data', () => undefined).on('close', () => resolve());
      });
      for (let i = 0; i < 50 && lines.length === 0; i++) await sleep(10);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^\\[2024-01-02T03:04:05.678Z\\] "- - -" 0 - - - "-" 5 5 0 - "-" "-" "-" "-" "127.0.0.1:${ePort}" ${c.replace(/\|/g, '\\|')} 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:${port} 127\\.0\\.0\\.1:\\d+ - -\\n$`));
    } finally {
      await p.proxy.close();
      echo.close();
    }
  });
});

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

describe('fileSinks', () => {
  it('one writer per path, appending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-al-'));
    const path = join(dir, 'a.log');
    const sinks = fileSinks();
    expect(sinks(path)).toBe(sinks(path));
    sinks(path).write('x\n');
    for (let i = 0; i < 50 && readText(path) === ''; i++) await sleep(10);
    sinks.flush();
    expect(readText(path)).toBe('x\n');
  });
});

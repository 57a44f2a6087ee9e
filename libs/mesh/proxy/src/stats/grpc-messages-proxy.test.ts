import * as grpc from '@grpc/grpc-js';
import { ISTIO_STATS_TYPE } from '@trellis/mesh-envoy';
import type { Cluster, Listener } from '../config/envoy-types';
import { KNOWN_TYPES } from '../config/proto';
import { ISTIO_RETRY, assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from '../testing/envoy-fixtures';
import { type TestProxy, send, startProxy } from '../testing/harness';

/**
 * istio_request_messages_total / istio_response_messages_total through a real sidecar with istio.stats:
 * a grpc-js client → the proxy (h2c) → a grpc-js server (HTTP/2 cluster), scraped from /stats/prometheus.
 */

const identity = (b: Buffer): Buffer => b;
const method = (name: string, requestStream: boolean, responseStream: boolean): grpc.MethodDefinition<Buffer, Buffer> => ({
  path: `/test.Echo/${name}`,
  requestStream,
  responseStream,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
});
const SERVICE: grpc.ServiceDefinition = { Echo: method('Echo', false, false), Chat: method('Chat', true, true) };

interface EchoClient {
  Echo(m: Buffer, cb: (e: grpc.ServiceError | null, r?: Buffer) => void): void;
  Chat(): grpc.ClientDuplexStream<Buffer, Buffer>;
  close(): void;
}

async function grpcServer(): Promise<{ port: number; close: () => void }> {
  const server = new grpc.Server();
  server.addService(SERVICE, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      if (call.request.toString() === 'fail') cb({ code: grpc.status.FAILED_PRECONDITION, details: 'no' });
      else cb(null, call.request);
    },
    // One reply per message, each in its own write, so frames cross HTTP/2 DATA frames as they come.
    Chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (m: Buffer) => call.write(Buffer.concat([Buffer.from('re:'), m])));
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, close: () => server.forceShutdown() };
}

/** An outbound sidecar listener with istio.stats before the router (istiod's placement). */
function statsListener(): Listener {
  const l = httpListener('0.0.0.0_9080', 9080, '9080');
  const hcm = l.filter_chains?.[0]?.filters?.[0]?.typed_config as { http_filters: object[] };
  hcm.http_filters = [...hcm.http_filters.slice(0, -1), { name: 'istio.stats', typed_config: { '@type': ISTIO_STATS_TYPE } }, ...hcm.http_filters.slice(-1)];
  return l;
}

async function sidecarTo(port: number): Promise<TestProxy> {
  const h2 = { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': KNOWN_TYPES.httpProtocolOptions, explicit_http_config: { http2_protocol_options: {} } } };
  const cluster: Cluster = edsCluster(svc('grpc'), { typed_extension_protocol_options: h2 as Cluster['typed_extension_protocol_options'] });
  return startProxy({
    clusters: [cluster],
    endpoints: [assignment(cluster.name ?? '', [{ port }])],
    listeners: [statsListener()],
    routes: [routeConfig('9080', [vhost('grpc', ['*'], [route({ prefix: '/' }, { cluster: cluster.name, retry_policy: ISTIO_RETRY })])])],
  });
}

function unary(client: EchoClient, text: string): Promise<grpc.ServiceError | null> {
  return new Promise((resolve) => client.Echo(Buffer.from(text), (e) => resolve(e)));
}

function chat(client: EchoClient, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const call = client.Chat();
    const got: string[] = [];
    call.on('data', (b: Buffer) => got.push(b.toString()));
    call.on('end', () => resolve(got));
    call.on('error', reject);
    let i = 0;
    // Spread the writes over turns so the proxy sees the request stream arrive in pieces.
    const next = (): void => {
      if (i === n) return void call.end();
      call.write(Buffer.from(`m${i++}`));
      setImmediate(next);
    };
    next();
  });
}

/** `metric{…request_protocol="grpc"…,grpc_response_status="<status>",…} n` → n, by metric. */
function counts(text: string, status: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of text.split('\n')) {
    const m = /^(istio_(?:requests|request_messages|response_messages)_total)\{(.*)\} (\d+)$/.exec(l);
    if (m !== null && m[2]?.includes('request_protocol="grpc"') === true && m[2].includes(`grpc_response_status="${status}"`)) out[m[1] as string] = Number(m[3]);
  }
  return out;
}

describe('gRPC message counters through a sidecar with istio.stats', () => {
  let server: { port: number; close: () => void };
  let proxy: TestProxy;
  let client: EchoClient;
  let prom: number;
  beforeAll(async () => {
    server = await grpcServer();
    proxy = await sidecarTo(server.port);
    prom = (await proxy.proxy.startPrometheus({ host: '127.0.0.1', port: 0 })).port;
    const Client = grpc.makeGenericClientConstructor(SERVICE, 'Echo');
    client = new Client(`127.0.0.1:${proxy.port('0.0.0.0_9080')}`, grpc.credentials.createInsecure()) as unknown as EchoClient;
  });
  afterAll(async () => {
    client.close();
    server.close();
    await proxy.proxy.close();
  });
  const scrape = async (): Promise<string> => (await send(prom, { path: '/stats/prometheus' })).body;

  it('counts one message each way for a unary call, with grpc_response_status from the trailers', async () => {
    expect(await unary(client, 'hi')).toBeNull();
    expect(await unary(client, 'fail')).toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
    const text = await scrape();
    expect(text).toContain('# TYPE istio_request_messages_total counter');
    expect(text).toContain('# TYPE istio_response_messages_total counter');
    const expected = { istio_requests_total: 1, istio_request_messages_total: 1, istio_response_messages_total: 1 };
    expect(counts(text, '0')).toEqual(expected);
    expect(counts(text, '9')).toEqual({ ...expected, istio_response_messages_total: 0 });
  });

  it('counts N messages each way for a bidirectional stream', async () => {
    const before = counts(await scrape(), '0');
    const n = 25;
    const replies = await chat(client, n);
    expect(replies).toHaveLength(n);
    const after = counts(await scrape(), '0');
    expect((after['istio_requests_total'] ?? 0) - (before['istio_requests_total'] ?? 0)).toBe(1);
    expect((after['istio_request_messages_total'] ?? 0) - (before['istio_request_messages_total'] ?? 0)).toBe(n);
    expect((after['istio_response_messages_total'] ?? 0) - (before['istio_response_messages_total'] ?? 0)).toBe(n);
  });

  it('leaves plain HTTP requests without message counters', async () => {
    const r = await send(proxy.port('0.0.0.0_9080'), { path: '/plain' });
    expect(r.status).toBeGreaterThan(0);
    const text = await scrape();
    expect(text).toMatch(/istio_requests_total\{[^}]*request_protocol="http"/);
    expect(text).not.toMatch(/istio_request_messages_total\{[^}]*request_protocol="http"/);
  });
});

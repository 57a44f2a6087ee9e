import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import type { Cluster } from './config/envoy-types';
import { KNOWN_TYPES } from './config/proto';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, startProxy, startUpstream } from './testing/harness';

/** HTTP/2 (h2c) and gRPC through the proxy: sniffed downstream codec, HTTP/2 upstream clusters. */

const identity = (b: Buffer): Buffer => b;
const SERVICE: grpc.ServiceDefinition = {
  Echo: { path: '/test.Echo/Echo', requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
  Count: { path: '/test.Echo/Count', requestStream: false, responseStream: true, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
};

async function grpcUpstream(): Promise<{ port: number; close: () => void }> {
  const server = new grpc.Server();
  server.addService(SERVICE, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      const text = call.request.toString();
      if (text === 'fail') cb({ code: grpc.status.FAILED_PRECONDITION, details: 'no such thing' });
      else cb(null, Buffer.from(`echo:${text}:${String(call.metadata.get('x-request-id').length)}`));
    },
    Count: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      for (let i = 0; i < 3; i++) call.write(Buffer.from(`n${i}`));
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, close: () => server.forceShutdown() };
}

const H2_OPTIONS = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': KNOWN_TYPES.httpProtocolOptions, explicit_http_config: { http2_protocol_options: {} } },
} as Cluster['typed_extension_protocol_options'];

async function proxyTo(port: number, http2Upstream: boolean): Promise<TestProxy> {
  const cluster: Cluster = edsCluster(svc('grpc'), http2Upstream ? { typed_extension_protocol_options: H2_OPTIONS } : {});
  return startProxy({
    clusters: [cluster],
    endpoints: [assignment(cluster.name ?? '', [{ port }])],
    listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
    routes: [routeConfig('9080', [vhost('grpc', ['*'], [route({ prefix: '/' }, { cluster: cluster.name })])])],
  });
}

describe('HTTP/2 and gRPC pass-through', () => {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it('carries unary and server-streaming gRPC calls and their status codes end to end', async () => {
    const up = await grpcUpstream();
    const p = await proxyTo(up.port, true);
    const Client = grpc.makeGenericClientConstructor(SERVICE, 'Echo');
    const client = new Client(`127.0.0.1:${p.port('0.0.0.0_9080')}`, grpc.credentials.createInsecure());
    closers.push(() => up.close(), () => p.proxy.close(), () => client.close());
    const unary = (text: string): Promise<string> =>
      new Promise((resolve, reject) =>
        (client as unknown as { Echo: (m: Buffer, cb: (e: grpc.ServiceError | null, r?: Buffer) => void) => void }).Echo(Buffer.from(text), (e, r) =>
          e ? reject(e) : resolve(String(r)),
        ),
      );
    expect(await unary('hello')).toBe('echo:hello:1'); // the proxy added x-request-id
    await expect(unary('fail')).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'no such thing' });
    const streamed = await new Promise<string[]>((resolve, reject) => {
      const out: string[] = [];
      const call = (client as unknown as { Count: (m: Buffer) => grpc.ClientReadableStream<Buffer> }).Count(Buffer.from('go'));
      call.on('data', (b: Buffer) => out.push(b.toString()));
      call.on('end', () => resolve(out));
      call.on('error', reject);
    });
    expect(streamed).toEqual(['n0', 'n1', 'n2']);
  });

  it('serves an h2c client on the same port as HTTP/1.1 and forwards to an HTTP/1.1 upstream', async () => {
    const up = await startUpstream('web', (req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(`${req.method} ${req.url} v${req.httpVersion} host=${req.headers.host} body=${n}`));
    });
    const p = await proxyTo(up.port, false);
    closers.push(() => up.close(), () => p.proxy.close());
    const session = http2.connect(`http://127.0.0.1:${p.port('0.0.0.0_9080')}`);
    closers.push(() => session.close());
    const reply = await new Promise<{ status: number; body: string; server: unknown }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/x?y=1', ':authority': 'web:9080' });
      let body = '';
      let status = 0;
      let server: unknown;
      stream.on('response', (h) => {
        status = Number(h[':status']);
        server = h['server'];
      });
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => resolve({ status, body, server }));
      stream.on('error', reject);
      stream.end(Buffer.alloc(70_000, 1));
    });
    expect(reply).toEqual({ status: 200, body: 'POST /x?y=1 v1.1 host=web:9080 body=70000', server: 'envoy' });
  });
});

describe('local replies to gRPC requests', () => {
  it('are trailers-only gRPC responses with Envoy’s HTTP → gRPC status mapping', async () => {
    const cluster: Cluster = edsCluster(svc('grpc'), { typed_extension_protocol_options: H2_OPTIONS });
    const p = await startProxy({
      clusters: [cluster],
      endpoints: [assignment(cluster.name ?? '', [])],
      listeners: [httpListener('0.0.0.0_9080', 9080, '9080')],
      routes: [routeConfig('9080', [vhost('grpc', ['grpc'], [route({ prefix: '/' }, { cluster: cluster.name })])])],
    });
    const Client = grpc.makeGenericClientConstructor(SERVICE, 'Echo');
    const call = (authority: string): Promise<grpc.ServiceError> =>
      new Promise((resolve) => {
        const client = new Client(`127.0.0.1:${p.port('0.0.0.0_9080')}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority });
        (client as unknown as { Echo: (m: Buffer, cb: (e: grpc.ServiceError | null) => void) => void }).Echo(Buffer.from('x'), (e) => {
          client.close();
          resolve(e as grpc.ServiceError);
        });
      });
    try {
      expect(await call('grpc')).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'no healthy upstream' });
      expect(await call('elsewhere')).toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    } finally {
      await p.proxy.close();
    }
  });
});

import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { until } from '../testing/until';
import { GrpcCode } from '@trellis/shared';
import { MessageDeframer, type GrpcStatus } from './grpc-framing';
import { GrpcChannel, type BidiStream } from './grpc-stream';

const PATH = '/trellis.test.Echo/Bidi';
const identity = (b: Buffer): Buffer => b;
const echoService: grpc.ServiceDefinition = {
  Bidi: { path: PATH, requestStream: true, responseStream: true, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
};
const FAIL_DETAILS = 'bad request: naïve café ✓ 100% {x}';

/** Echoes each message; `big:N` answers N patterned bytes; `fail` ends the call with INVALID_ARGUMENT. */
function echoHandler(call: grpc.ServerDuplexStream<Buffer, Buffer>): void {
  call.on('data', (msg: Buffer) => {
    const text = msg.toString();
    if (text === 'fail') call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: FAIL_DETAILS });
    else if (text.startsWith('big:')) call.write(patterned(Number(text.slice(4))));
    else call.write(msg);
  });
  call.on('end', () => call.end());
  call.on('error', () => undefined);
}

function patterned(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

function framed(payload: Buffer, flag = 0): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt8(flag, 0);
  prefix.writeUInt32BE(payload.length, 1);
  return Buffer.concat([prefix, payload]);
}

async function startGrpcServer(): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  server.addService(echoService, { Bidi: echoHandler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port };
}

async function startRawServer(onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<{ server: http2.Http2Server; port: number; sessions: () => number }> {
  const server = http2.createServer();
  let sessions = 0;
  server.on('session', () => (sessions += 1));
  server.on('stream', onStream);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sessions: () => sessions };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  await new Promise((resolve) => s.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Recorder {
  messages: Buffer[];
  ends: GrpcStatus[];
  call: BidiStream;
}

function open(channel: GrpcChannel, path = PATH): Recorder {
  const messages: Buffer[] = [];
  const ends: GrpcStatus[] = [];
  const call = channel.openBidiStream(path, { onMessage: (m) => messages.push(m), onEnd: (s) => ends.push(s) });
  return { messages, ends, call };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('MessageDeframer', () => {
  it('reassembles messages split anywhere and packed together', () => {
    const payloads = [Buffer.from('hello'), Buffer.alloc(0), patterned(70_000), Buffer.from('x')];
    const wire = Buffer.concat(payloads.map((p) => framed(p)));
    for (const size of [1, 3, 5, 7, 4096, wire.length]) {
      const d = new MessageDeframer();
      const out: Buffer[] = [];
      for (let i = 0; i < wire.length; i += size) out.push(...d.push(wire.subarray(i, i + size)));
      expect(out.map((b) => b.toString('base64'))).toEqual(payloads.map((b) => b.toString('base64')));
    }
  });

  it('rejects compressed and oversized messages', () => {
    expect(() => new MessageDeframer().push(framed(Buffer.from('z'), 1))).toThrow(/compressed-flag 1/);
    expect(() => new MessageDeframer(10).push(framed(Buffer.alloc(11)))).toThrow(/larger than max \(11 vs. 10\)/);
  });
});

describe('GrpcChannel against grpc-js', () => {
  let server: grpc.Server | undefined;
  let port: number;
  let channel: GrpcChannel;

  beforeEach(async () => {
    ({ server, port } = await startGrpcServer());
    channel = new GrpcChannel(`127.0.0.1:${port}`);
  });

  afterEach(() => {
    channel.close();
    server?.forceShutdown();
    server = undefined;
  });

  it('echoes small messages in order and ends OK after a half-close', async () => {
    const r = open(channel);
    for (const text of ['one', 'two', '', 'three']) r.call.write(Buffer.from(text));
    await until(() => r.messages.length === 4);
    expect(r.messages.map(String)).toEqual(['one', 'two', '', 'three']);
    r.call.end();
    await until(() => r.ends.length > 0);
    expect(r.ends).toEqual([{ code: GrpcCode.OK, details: 'OK' }]);
  });

  it('receives a 6 MB message intact', async () => {
    const r = open(channel);
    r.call.write(Buffer.from(`big:${6 * 1024 * 1024}`));
    await until(() => r.messages.length === 1);
    expect(r.messages[0]!.equals(patterned(6 * 1024 * 1024))).toBe(true);
    r.call.cancel();
    await until(() => r.ends.length > 0);
    expect(r.ends).toEqual([{ code: GrpcCode.CANCELLED, details: 'Cancelled on client' }]);
  });

  it('reports a non-OK status with its percent-decoded message, in trailers and trailers-only', async () => {
    const afterMessage = open(channel);
    afterMessage.call.write(Buffer.from('hi'));
    afterMessage.call.write(Buffer.from('fail'));
    const trailersOnly = open(channel);
    trailersOnly.call.write(Buffer.from('fail'));
    await until(() => afterMessage.ends.length > 0 && trailersOnly.ends.length > 0);
    expect(afterMessage.messages.map(String)).toEqual(['hi']);
    expect(afterMessage.ends).toEqual([{ code: GrpcCode.INVALID_ARGUMENT, details: FAIL_DETAILS }]);
    expect(trailersOnly.ends).toEqual([{ code: GrpcCode.INVALID_ARGUMENT, details: FAIL_DETAILS }]);
  });

  it('reports UNIMPLEMENTED for an unknown method', async () => {
    const r = open(channel, '/trellis.test.Echo/Nope');
    await until(() => r.ends.length > 0);
    expect(r.ends[0]!.code).toBe(GrpcCode.UNIMPLEMENTED);
  });

  it('ends with UNAVAILABLE exactly once when the server shuts down mid-stream', async () => {
    const r = open(channel);
    r.call.write(Buffer.from('ping'));
    await until(() => r.messages.length === 1);
    server!.forceShutdown();
    server = undefined;
    await until(() => r.ends.length > 0);
    await sleep(100);
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0]!.code).toBe(GrpcCode.UNAVAILABLE);
    r.call.write(Buffer.from('after the end')); // ignored, no throw
  });
});

describe('GrpcChannel failures and raw HTTP/2', () => {
  let raw: http2.Http2Server | undefined;
  let channel: GrpcChannel | undefined;

  afterEach(async () => {
    channel?.close();
    channel = undefined;
    const server = raw;
    raw = undefined;
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  });

  const rawServer = async (onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<{ port: number; sessions: () => number }> => {
    const started = await startRawServer(onStream);
    raw = started.server;
    return started;
  };

  it('ends with UNAVAILABLE when nothing listens', async () => {
    channel = new GrpcChannel(`127.0.0.1:${await closedPort()}`);
    const r = open(channel);
    r.call.write(Buffer.from('lost'));
    await until(() => r.ends.length > 0);
    await sleep(50);
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0]!.code).toBe(GrpcCode.UNAVAILABLE);
    expect(r.ends[0]!.details).toMatch(/ECONNREFUSED/);
  });

  it('reassembles a message split over several DATA frames and two messages in one frame', async () => {
    const first = patterned(40_000);
    const [second, third] = [Buffer.from('second'), Buffer.from('third')];
    const { port } = await rawServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'done' }));
      void (async () => {
        const wire = framed(first);
        for (const [from, to] of [[0, 3], [3, 1000], [1000, 25_000], [25_000, wire.length]]) {
          stream.write(wire.subarray(from, to));
          await sleep(10);
        }
        stream.end(Buffer.concat([framed(second), framed(third)]));
      })();
    });
    channel = new GrpcChannel(`127.0.0.1:${port}`);
    const r = open(channel);
    await until(() => r.ends.length > 0);
    expect(r.messages).toEqual([first, second, third]);
    expect(r.ends).toEqual([{ code: GrpcCode.OK, details: 'done' }]);
  });

  it('sends the gRPC request headers and 256 MiB windows, and maps a non-200 HTTP status', async () => {
    const seen: http2.IncomingHttpHeaders[] = [];
    const windows: Array<[number | undefined, number | undefined]> = [];
    const { port } = await rawServer((stream, headers) => {
      seen.push(headers);
      windows.push([stream.session?.remoteSettings.initialWindowSize, stream.session?.state.remoteWindowSize]);
      stream.respond({ ':status': 503 }, { endStream: true });
    });
    channel = new GrpcChannel(`127.0.0.1:${port}`);
    const r = open(channel);
    await until(() => r.ends.length > 0);
    expect(r.ends).toEqual([{ code: GrpcCode.UNAVAILABLE, details: 'Received HTTP status code 503' }]);
    expect(seen[0]).toMatchObject({
      ':method': 'POST',
      ':path': PATH,
      ':scheme': 'http',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-accept-encoding': 'identity',
      'user-agent': 'trellis-proxy',
    });
    expect(windows).toEqual([[256 * 1024 * 1024, 256 * 1024 * 1024]]); // stream and connection windows, as Envoy
  });

  it('rejects a compressed message with INTERNAL', async () => {
    const { port } = await rawServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(framed(Buffer.from('squashed'), 1));
    });
    channel = new GrpcChannel(`127.0.0.1:${port}`);
    const r = open(channel);
    await until(() => r.ends.length > 0);
    expect(r.messages).toEqual([]);
    expect(r.ends).toEqual([{ code: GrpcCode.INTERNAL, details: expect.stringMatching(/compressed-flag 1/) }]);
  });

  it('reuses one session across calls and dials a new one after the connection drops', async () => {
    const live = new Set<http2.ServerHttp2Session>();
    const { port, sessions } = await rawServer((stream) => {
      live.add(stream.session as http2.ServerHttp2Session);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(framed(Buffer.from('hello')));
    });
    channel = new GrpcChannel(`127.0.0.1:${port}`);
    const a = open(channel);
    await until(() => a.messages.length === 1);
    const b = open(channel);
    await until(() => b.messages.length === 1);
    expect(sessions()).toBe(1);
    for (const s of live) s.destroy();
    await until(() => a.ends.length > 0 && b.ends.length > 0);
    expect([a.ends[0]!.code, b.ends[0]!.code]).toEqual([GrpcCode.UNAVAILABLE, GrpcCode.UNAVAILABLE]);
    const c = open(channel);
    await until(() => c.messages.length === 1);
    expect(sessions()).toBe(2);
    c.call.cancel();
    await until(() => c.ends.length > 0);
    expect(c.ends[0]!.code).toBe(GrpcCode.CANCELLED);
  });
});

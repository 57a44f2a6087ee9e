import { PassThrough } from 'node:stream';
import { GrpcFrameInspector, GrpcMessageCounts } from './grpc-messages';

/** A gRPC length-prefixed message: flag 0, big-endian length, payload. */
function frame(payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

function countChunks(chunks: readonly Buffer[]): number {
  const i = new GrpcFrameInspector();
  for (const c of chunks) i.inspect(c);
  return i.count;
}

describe('GrpcFrameInspector', () => {
  const body = Buffer.concat([frame(Buffer.from('hello')), frame(Buffer.alloc(0)), frame(Buffer.alloc(300, 7)), frame(Buffer.from('x'))]);

  it('counts the messages of a body in one chunk, empty messages included', () => {
    expect(countChunks([body])).toBe(4);
    expect(countChunks([])).toBe(0);
  });

  it('counts the same wherever the chunks split, inside headers and payloads alike', () => {
    for (let size = 1; size <= 16; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < body.length; at += size) chunks.push(body.subarray(at, at + size));
      expect(countChunks(chunks)).toBe(4);
    }
  });

  it('reads lengths as unsigned big-endian across all four bytes (a length byte of 0x05 is not a new frame)', () => {
    const big = frame(Buffer.alloc(0x0105, 5));
    expect(countChunks([big, big])).toBe(2);
  });

  it('counts a frame whose header has begun but not ended (as Envoy does at the flag byte)', () => {
    expect(countChunks([Buffer.from([0, 0])])).toBe(1);
  });
});

describe('GrpcMessageCounts.watchRequest', () => {
  it('inspects a buffered body once, however often it is sent', () => {
    const c = new GrpcMessageCounts();
    const body = Buffer.concat([frame(Buffer.from('a')), frame(Buffer.from('b'))]);
    c.watchRequest(body);
    c.watchRequest(body);
    expect(c.request.count).toBe(2);
  });

  it('joins a stream only once its consumer reads it, so the consumer loses nothing', async () => {
    const c = new GrpcMessageCounts();
    const body = new PassThrough();
    body.write(frame(Buffer.from('early')));
    c.watchRequest(body); // nobody reads yet: must not start the flow
    expect(body.readableFlowing).toBeNull();
    const seen: Buffer[] = [];
    body.on('data', (b: Buffer) => seen.push(b));
    body.end(frame(Buffer.from('late')));
    await new Promise((r) => body.once('end', r));
    expect(Buffer.concat(seen)).toEqual(Buffer.concat([frame(Buffer.from('early')), frame(Buffer.from('late'))]));
    expect(c.request.count).toBe(2);
  });

  it('joins a stream that is already flowing', async () => {
    const c = new GrpcMessageCounts();
    const body = new PassThrough();
    body.on('data', () => undefined);
    c.watchRequest(body);
    body.end(Buffer.concat([frame(Buffer.from('1')), frame(Buffer.from('2')), frame(Buffer.from('3'))]));
    await new Promise((r) => body.once('end', r));
    expect(c.request.count).toBe(3);
  });
});

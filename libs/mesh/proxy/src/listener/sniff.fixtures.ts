import { createServer, type AddressInfo, type Socket } from 'node:net';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/* Test inputs for sniff*.test.ts: real ClientHellos from Node's TLS client, hand-built ones, a PRNG. */

/** The first TLS record Node's TLS client sends to 127.0.0.1 (no certificate needed: nothing answers it). */
export async function captureClientHello(options: Pick<ConnectionOptions, 'servername' | 'ALPNProtocols'> = {}): Promise<Buffer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let client: TLSSocket | undefined;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      server.once('connection', (socket: Socket) => {
        let got = Buffer.alloc(0);
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          got = Buffer.concat([got, chunk]);
          if (got.length >= 5 && got.length >= 5 + got.readUInt16BE(3)) {
            resolve(got);
            socket.destroy();
          }
        });
      });
      client = connect({ host: '127.0.0.1', port, ...options });
      client.on('error', (err) => reject(err)); // after resolve, the server's hang-up is ignored
    });
  } finally {
    client?.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

function vec(width: 1 | 2 | 3, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const len = Buffer.alloc(width);
  len.writeUIntBE(body.length, 0, width);
  return Buffer.concat([len, body]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** A minimal ClientHello in one record; `sni: ''` sends an empty host_name. */
export function buildClientHello(opts: { sni?: string; alpn?: string[]; extensions?: boolean } = {}): Buffer {
  const exts: Buffer[] = [];
  if (opts.sni !== undefined) {
    exts.push(u16(0), vec(2, vec(2, Buffer.from([0]), vec(2, Buffer.from(opts.sni, 'latin1')))));
  }
  if (opts.alpn) exts.push(u16(16), vec(2, vec(2, ...opts.alpn.map((p) => vec(1, Buffer.from(p, 'latin1'))))));
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 7), // random
    vec(1, Buffer.alloc(32, 9)), // session id
    vec(2, Buffer.from([0x13, 0x01, 0x13, 0x02])), // cipher suites
    vec(1, Buffer.from([0])), // compression: null
    ...(opts.extensions === false ? [] : [vec(2, ...exts)]),
  ]);
  return Buffer.concat([Buffer.from([22, 3, 1]), vec(2, Buffer.from([1]), vec(3, body))]);
}

/** The handshake message of a one-record hello, re-fragmented into records at `cuts` (fragment offsets). */
export function splitRecords(hello: Buffer, cuts: number[]): Buffer {
  const fragment = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const bounds = [0, ...cuts, fragment.length];
  const records = bounds.slice(1).map((end, i) => {
    const part = fragment.subarray(bounds[i], end);
    return Buffer.concat([hello.subarray(0, 3), u16(part.length), part]);
  });
  return Buffer.concat(records);
}

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

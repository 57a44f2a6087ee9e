/**
 * The delta simulated proxies' transport: gRPC over plain `node:http2`, reading responses as they
 * stream in. A simulated proxy keeps only version, type URL and nonce, and grpc-js would first
 * gather every message (1.5 MB per proxy at 2000 × 1000) into one buffer: at 2000 proxies the
 * bench then measured its own copies (~10 s of CPU), not the control plane's initial convergence.
 */
import http2 from 'node:http2';
import net from 'node:net';

/** Envoy's default HTTP/2 windows (256 MiB stream and connection), as the grpc-js channels had. */
const WINDOW = 256 * 1024 * 1024;

export function connectH2(host: string, port: number): http2.ClientHttp2Session {
  const session = http2.connect(`http://${host}:${port}`, {
    settings: { initialWindowSize: WINDOW },
    // As grpc-js's (and Envoy's) sockets: small ACKs are not held back by Nagle's algorithm.
    createConnection: () => net.connect({ host, port, noDelay: true }),
  });
  session.on('connect', () => session.setLocalWindowSize(WINDOW));
  session.on('error', () => undefined);
  return session;
}

/** One gRPC call's stream: request frames written with `grpcFrame`, response bytes to a GrpcFieldScanner. */
export function grpcStream(session: http2.ClientHttp2Session, path: string): http2.ClientHttp2Stream {
  const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
  stream.on('error', () => undefined);
  return stream;
}

/** A gRPC length-prefixed message (uncompressed). */
export function grpcFrame(message: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

type ScanState = 'prefix' | 'tag' | 'length' | 'value';

/**
 * Reads gRPC-framed protobuf messages chunk by chunk: the top-level length-delimited fields (every
 * field of a DiscoveryResponse Trellis sends) as strings, except `skip`, which are passed over unread
 * and uncopied. Calls `onMessage` with the fields and the framed size of each message.
 */
export class GrpcFieldScanner {
  private state: ScanState = 'prefix';
  private readonly prefix = Buffer.alloc(5);
  private prefixAt = 0;
  /** Bytes of the current message not read yet, and its size. */
  private left = 0;
  private size = 0;
  private varint = 0;
  private scale = 1;
  private field = 0;
  private valueLeft = 0;
  private kept: Buffer[] | undefined;
  private fields: Record<number, string> = {};

  constructor(
    private readonly skip: readonly number[],
    private readonly onMessage: (fields: Record<number, string>, bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'prefix') at = this.readPrefix(chunk, at);
      else if (this.state === 'value') at = this.readValue(chunk, at);
      else this.readVarintByte(chunk[at++]!);
    }
  }

  private readPrefix(chunk: Buffer, at: number): number {
    const n = Math.min(5 - this.prefixAt, chunk.length - at);
    chunk.copy(this.prefix, this.prefixAt, at, at + n);
    this.prefixAt += n;
    if (this.prefixAt === 5) {
      this.prefixAt = 0;
      this.left = this.size = this.prefix.readUInt32BE(1);
      this.fields = {};
      this.nextField();
    }
    return at + n;
  }

  private readValue(chunk: Buffer, at: number): number {
    const n = Math.min(this.valueLeft, chunk.length - at);
    this.kept?.push(chunk.subarray(at, at + n));
    this.valueLeft -= n;
    this.left -= n;
    if (this.valueLeft === 0) this.endValue();
    return at + n;
  }

  private readVarintByte(byte: number): void {
    this.left--;
    this.varint += (byte & 0x7f) * this.scale;
    this.scale *= 128;
    if (byte >= 0x80) return;
    const value = this.varint;
    this.varint = 0;
    this.scale = 1;
    if (this.state === 'tag') {
      if ((value & 7) !== 2) throw new Error(`field ${Math.floor(value / 8)}: wire type ${value & 7} (only length-delimited fields expected)`);
      this.field = Math.floor(value / 8);
      this.state = 'length';
      return;
    }
    this.valueLeft = value;
    this.kept = this.skip.includes(this.field) ? undefined : [];
    this.state = 'value';
    if (value === 0) this.endValue();
  }

  private endValue(): void {
    if (this.kept !== undefined) this.fields[this.field] = Buffer.concat(this.kept).toString('utf8');
    this.kept = undefined;
    this.nextField();
  }

  private nextField(): void {
    if (this.left > 0) {
      this.state = 'tag';
      return;
    }
    this.state = 'prefix';
    this.onMessage(this.fields, this.size + 5);
  }
}

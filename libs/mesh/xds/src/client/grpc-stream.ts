import * as http2 from 'node:http2';
import { GrpcCode, grpcStatusFromHttp } from '@trellis/shared';
import { grpcFrame } from '../proto/grpc-frame';
import { GrpcStreamError, MessageDeframer, type GrpcStatus } from './grpc-framing';

/**
 * A minimal gRPC client transport on node:http2 (h2c, plaintext): bidi-streaming calls over a shared
 * session, so the proxy need not load @grpc/grpc-js (~10 MB of RSS). No compression, deadlines or metadata.
 */

export interface BidiHandlers {
  /** One complete message, without its 5-byte prefix. */
  onMessage(message: Buffer): void;
  /** Exactly once per call, asynchronously, after the last `onMessage`. */
  onEnd(status: GrpcStatus): void;
}

export interface BidiStream {
  /** Sends one message; ignored once the call has ended. */
  write(message: Buffer): void;
  /** Half-closes the request side. */
  end(): void;
  /** Resets the stream; `onEnd` follows with CANCELLED. */
  cancel(): void;
}

export interface GrpcChannelOptions {
  readonly userAgent?: string;
  /** Initial stream window and connection window (default, as Envoy's: 256 MiB). */
  readonly windowBytes?: number;
  readonly maxMessageBytes?: number;
  readonly connectTimeoutMs?: number;
}

const MiB = 1024 * 1024;
const { NGHTTP2_NO_ERROR, NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM, NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function grpcStatusOf(headers: http2.IncomingHttpHeaders | undefined): GrpcStatus | undefined {
  const [raw, message] = [headers?.['grpc-status'], headers?.['grpc-message']];
  if (typeof raw !== 'string') return undefined;
  const code = /^\d+$/.test(raw) && Number(raw) <= GrpcCode.UNAUTHENTICATED ? Number(raw) : GrpcCode.UNKNOWN;
  return { code, details: typeof message === 'string' ? percentDecode(message) : '' };
}

interface SessionEntry {
  readonly session: http2.ClientHttp2Session;
  error: Error | undefined;
}

class BidiCall implements BidiStream {
  private done = false;
  private cancelled = false;
  private failure: GrpcStatus | undefined;
  private headers: http2.IncomingHttpHeaders | undefined;
  private trailers: http2.IncomingHttpHeaders | undefined;
  private streamError: Error | undefined;
  private readonly deframer: MessageDeframer;

  constructor(private readonly stream: http2.ClientHttp2Stream, private readonly entry: SessionEntry, private readonly handlers: BidiHandlers, maxMessageBytes: number) {
    this.deframer = new MessageDeframer(maxMessageBytes);
    stream.on('response', (headers) => (this.headers = headers));
    stream.on('trailers', (trailers) => (this.trailers = trailers));
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (err) => (this.streamError = err));
    // The server's END_STREAM ends the call even while our side is open: reset the stream so it closes.
    stream.on('end', () => {
      if (!stream.closed) stream.close(NGHTTP2_NO_ERROR);
    });
    // nextTick: after any 'error' emitted at about the same time, so its message can be reported.
    stream.on('close', () => process.nextTick(() => this.finish()));
  }

  write(message: Buffer): void {
    if (this.done || this.stream.destroyed || this.stream.writableEnded) return;
    this.stream.write(grpcFrame([message]));
  }

  end(): void {
    if (!this.done && !this.stream.writableEnded) this.stream.end();
  }

  cancel(): void {
    if (this.done || this.stream.closed) return;
    this.cancelled = true;
    this.stream.close(NGHTTP2_CANCEL);
  }

  private onData(chunk: Buffer): void {
    if (this.done || this.failure !== undefined) return;
    let messages: Buffer[];
    try {
      messages = this.deframer.push(chunk);
    } catch (err) {
      this.failure = err instanceof GrpcStreamError ? { code: err.code, details: err.message } : { code: GrpcCode.INTERNAL, details: String(err) };
      this.stream.close(NGHTTP2_CANCEL);
      return;
    }
    for (const message of messages) if (!this.cancelled) this.handlers.onMessage(message); // a handler may cancel
  }

  private finalStatus(): GrpcStatus {
    if (this.failure !== undefined) return this.failure;
    if (this.cancelled) return { code: GrpcCode.CANCELLED, details: 'Cancelled on client' };
    const status = grpcStatusOf(this.trailers) ?? grpcStatusOf(this.headers);
    if (status !== undefined) return status;
    const httpStatus = Number(this.headers?.[':status'] ?? 200);
    if (httpStatus !== 200) return { code: grpcStatusFromHttp(httpStatus), details: `Received HTTP status code ${httpStatus}` };
    const rst = this.stream.rstCode;
    if (rst === NGHTTP2_REFUSED_STREAM) return { code: GrpcCode.UNAVAILABLE, details: 'Stream refused by server' };
    if (rst === NGHTTP2_ENHANCE_YOUR_CALM) return { code: GrpcCode.RESOURCE_EXHAUSTED, details: 'Bandwidth exhausted or memory limit exceeded' };
    const cause = this.entry.error ?? this.streamError;
    if (cause !== undefined) return { code: GrpcCode.UNAVAILABLE, details: `Connection error: ${cause.message}` };
    if (this.entry.session.destroyed) return { code: GrpcCode.UNAVAILABLE, details: 'Connection dropped' };
    return { code: GrpcCode.UNAVAILABLE, details: rst ? `Received RST_STREAM with code ${rst}` : 'Stream ended without gRPC status' };
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.handlers.onEnd(this.finalStatus());
  }
}

/** HTTP/2 connections to `target` (`host:port`): one reused while alive, re-dialled once closed. */
export class GrpcChannel {
  private current: SessionEntry | undefined;
  private readonly sessions = new Set<SessionEntry>(); // current, and any draining after a GOAWAY
  private closed = false;
  private readonly windowBytes: number;

  constructor(private readonly target: string, private readonly options: GrpcChannelOptions = {}) {
    this.windowBytes = options.windowBytes ?? 256 * MiB;
  }

  /** Starts a bidi call to `path` (`/package.Service/Method`). Throws once the channel is closed. */
  openBidiStream(path: string, handlers: BidiHandlers): BidiStream {
    if (this.closed) throw new Error('gRPC channel is closed');
    const entry = this.session();
    const stream = entry.session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-accept-encoding': 'identity',
      'user-agent': this.options.userAgent ?? 'trellis-proxy',
    });
    return new BidiCall(stream, entry, handlers, this.options.maxMessageBytes ?? 256 * MiB);
  }

  /** Destroys every connection; open calls end (CANCELLED if cancelled first, else UNAVAILABLE). */
  close(): void {
    this.closed = true;
    for (const entry of this.sessions) entry.session.destroy();
    this.sessions.clear();
    this.current = undefined;
  }

  private session(): SessionEntry {
    const live = this.current;
    if (live !== undefined && !live.session.closed && !live.session.destroyed) return live;
    const settings = { initialWindowSize: this.windowBytes, enablePush: false };
    const session = http2.connect(`http://${this.target}`, { settings, maxSessionMemory: Number.MAX_SAFE_INTEGER });
    const entry: SessionEntry = { session, error: undefined };
    const timer = setTimeout(() => session.destroy(new Error(`connect to ${this.target} timed out`)), this.options.connectTimeoutMs ?? 20_000);
    timer.unref();
    const forget = (): void => {
      clearTimeout(timer);
      if (this.current === entry) this.current = undefined;
    };
    session.once('connect', () => {
      clearTimeout(timer);
      session.setLocalWindowSize(this.windowBytes); // the connection window; settings set the streams'
    });
    session.on('error', (err) => (entry.error = err));
    session.on('goaway', forget);
    session.on('close', () => {
      forget();
      this.sessions.delete(entry);
    });
    this.sessions.add(entry);
    this.current = entry;
    return entry;
  }
}

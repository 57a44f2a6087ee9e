import type { Socket } from 'node:net';
import { H1Request } from './h1-request';
import { H1Response, type ResponseOwner } from './h1-response';
import { requestParser, type Llhttp, type LlhttpApi, type ParseError } from '../../unsafe/llhttp';
import { codecReply } from './codec-replies';
import { announcesBody, headersOf } from './request-headers';

export type RequestHandler = (req: H1Request, res: H1Response) => void;

export interface ConnectionOptions {
  readonly maxHeaderSize: number;
  /** Idle time (no request in flight) after which the connection is closed. */
  readonly idleTimeoutMs: number;
  readonly onRequest: RequestHandler;
  readonly onProtocolError: (code: string) => void;
}

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

interface Exchange {
  readonly req: H1Request;
  readonly res: H1Response;
}

/**
 * One downstream HTTP/1.1 connection: llhttp parses (through the private-API seam, unsafe/llhttp.ts;
 * http1.ts picks this codec or the node:http fallback), requests are served one at a time in arrival
 * order (pipelined ones wait, reading paused, so responses need no reordering), keep-alive as the
 * request and response say, the idle timeout only while nothing is in flight.
 */
export class H1Connection implements ResponseOwner {
  private readonly parser: Llhttp;
  private readonly queue: Exchange[] = [];
  /** The request whose body the parser is reading. */
  private parsing: H1Request | null = null;
  private pendingHeaders: string[] = [];
  private pendingUrl = '';
  /** No more bytes are parsed: a codec error, or an upgrade (what follows its head is not HTTP). */
  private stopped = false;
  /** The connection ends after the response in flight (drain, FIN, connection: close, error). */
  private closeWhenDone = false;
  /** A parse error after whole requests: their responses go first, then this reply, then the close. */
  private errorReply: string | undefined;

  constructor(
    readonly socket: Socket,
    private readonly options: ConnectionOptions,
    private readonly llhttp: LlhttpApi,
  ) {
    this.parser = requestParser(
      llhttp,
      {
        onHeaders: (headers, url) => {
          this.pendingHeaders.push(...headers);
          this.pendingUrl += url;
        },
        onHeadersComplete: (_major, minor, headers, method, url, _s, _m, upgrade, keepAlive) => this.onHead(minor, headers, method, url, upgrade, keepAlive),
        onBody: (chunk) => this.onBody(chunk),
        onMessageComplete: () => this.onMessageComplete(),
      },
      options.maxHeaderSize,
    );
    // Not setTimeout's callback: that listens once, and a timeout while a request is in flight (kept)
    // would leave the connection without an idle timeout for the rest of its life.
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.queue.length === 0) socket.destroy();
    });
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('drain', () => this.queue[0]?.res.emit('drain'));
    socket.on('error', () => socket.destroy());
    socket.once('end', () => this.onEnd());
    socket.once('close', () => this.onClose());
  }

  private onData(data: Buffer): void {
    if (this.stopped) return;
    const ret = this.parser.execute(data);
    if (typeof ret !== 'number') this.onParseError(ret);
  }

  private onParseError(err: ParseError): void {
    this.stopped = true;
    this.closeWhenDone = true;
    this.options.onProtocolError(err.code);
    // A body cut by the error cannot be answered for; a write-closed socket takes nothing more. What
    // earlier pipelined responses already wrote (a 400 for a request without Host) is flushed first:
    // destroy() would drop it. The request cut short is aborted when the socket closes (onClose).
    if (this.parsing !== null || !this.socket.writable) {
      if (!this.socket.writable) return void this.socket.destroy();
      this.socket.end(() => this.socket.destroy());
      // A client that does not read must not keep the socket: the flush gets a second at most.
      const flushBound = setTimeout(() => this.socket.destroy(), 1000).unref();
      this.socket.once('close', () => clearTimeout(flushBound));
      return;
    }
    if (this.queue.length === 0) this.socket.end(codecReply(err.code));
    else this.errorReply = codecReply(err.code);
  }

  private onHead(minor: number, raw: string[] | undefined, method: number, url: string | undefined, upgrade: boolean, keepAlive: boolean): number {
    const headers = headersOf(raw ?? this.pendingHeaders);
    const target = url ?? this.pendingUrl;
    this.pendingHeaders = [];
    this.pendingUrl = '';
    const name = this.llhttp.methods[method] ?? 'GET';
    const req = new H1Request(this.socket, name, target, headers, minor, announcesBody(headers), () => this.socket.resume());
    // An upgrade is served as a plain request (no listener takes the socket over), then the connection ends.
    const res = new H1Response(this, name === 'HEAD', minor === 0, keepAlive && !upgrade);
    this.parsing = req;
    if (upgrade) this.stopped = true;
    this.queue.push({ req, res });
    if (this.queue.length === 1) this.dispatch(req, res);
    else this.socket.pause();
    return 0;
  }

  private onBody(chunk: Buffer): void {
    const body = this.parsing?.body;
    if (body && !body.push(chunk)) this.socket.pause();
  }

  private onMessageComplete(): void {
    this.parsing?.body?.push(null);
    this.parsing = null;
  }

  private dispatch(req: H1Request, res: H1Response): void {
    const expect = req.headers.expect;
    if (expect !== undefined && req.httpVersionMinor === 1 && expect.toLowerCase() === '100-continue') this.socket.write(CONTINUE, 'latin1');
    this.options.onRequest(req, res);
  }

  responseDone(res: H1Response, close: boolean): void {
    if (this.queue[0]?.res !== res) return;
    this.queue.shift();
    const next = this.queue[0];
    if (this.errorReply !== undefined && !close) {
      if (next !== undefined) this.dispatch(next.req, next.res);
      else this.socket.end(this.errorReply);
      return;
    }
    if (close || this.closeWhenDone) {
      this.closeWhenDone = true;
      this.socket.end();
      return;
    }
    if (next !== undefined) this.dispatch(next.req, next.res);
    else this.socket.resume();
  }

  /** Ask the connection to close: now when idle, else after the response in flight. */
  close(): void {
    if (this.queue.length === 0) this.socket.destroy();
    else this.closeWhenDone = true;
  }

  /** The client's FIN: the socket ends too (not half-open), and whatever is in flight is aborted on close. */
  private onEnd(): void {
    this.closeWhenDone = true;
  }

  private onClose(): void {
    this.stopped = true;
    for (const { req, res } of this.queue) {
      req.body?.destroy();
      res.emit('close');
    }
    this.queue.length = 0;
    this.parser.close();
  }
}

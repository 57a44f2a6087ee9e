import type { IncomingHttpHeaders } from 'node:http';
import { Framing, contentLength, framingOf, parseResponseHead } from './response-head';
import { UpstreamError, protocolError } from '../upstream-pool';

/** What the parser reports; `onHead` once per final response (1xx interim responses are skipped). */
export interface ResponseEvents {
  onHead(status: number, headers: IncomingHttpHeaders): void;
  onBody(chunk: Buffer): void;
  onEnd(): void;
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const CRLF = 0x0a0d; // "\r\n" read as little-endian uint16
const MAX_CHUNK_LINE = 4096;
const CRLF_BYTES = Buffer.from('\r\n', 'latin1');


/** `keep-alive: timeout=5` → 5000; servers repeat the same value, so the last one is remembered. */
let lastHint = '';
let lastHintMs = 0;
function keepAliveHintMs(hint: string): number {
  if (hint !== lastHint) {
    const m = /timeout=(\d+)/i.exec(hint);
    lastHint = hint;
    lastHintMs = m === null ? 0 : Number(m[1]) * 1000;
  }
  return lastHintMs;
}

/**
 * An incremental HTTP/1.1 response parser for one response at a time: `expect(method)` arms it, then
 * `feed(bytes)` as they arrive, `finish()` when the socket ends. Body bytes are passed on as
 * subarrays (no copies), chunked bodies decoded. Throws UpstreamError on malformed input.
 */
export class ResponseParser {
  status = 0;
  /** Whether the connection may carry another request after this response. */
  keepAlive = true;
  /** The server's `keep-alive: timeout=N`, in ms (0 = none given). */
  keepAliveHintMs = 0;
  private state = State.Done;
  private headRequest = false;
  private pending: Buffer | null = null;
  private remaining = 0;
  private halted = false;

  constructor(
    private readonly events: ResponseEvents,
    private readonly maxHeaderBytes: number,
  ) {}

  get idle(): boolean {
    return this.state === State.Done;
  }

  /** True when the response so far ends only with the connection (close-delimited body). */
  get endsAtClose(): boolean {
    return this.state === State.UntilClose;
  }

  expect(method: string): void {
    this.state = State.Head;
    this.headRequest = method === 'HEAD';
    this.pending = null;
    this.keepAlive = true;
    this.keepAliveHintMs = 0;
  }

  /** Stop for good (the request was aborted): later bytes and events are ignored. */
  halt(): void {
    this.halted = true;
    this.pending = null;
  }

  feed(data: Buffer): void {
    if (this.halted) return;
    let buf = data;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, data]);
      this.pending = null;
    }
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case State.Head:
          at = this.parseHead(buf, at);
          break;
        case State.Length:
          at = this.passBody(buf, at, State.Done);
          break;
        case State.UntilClose:
          this.events.onBody(at === 0 ? buf : buf.subarray(at));
          return;
        case State.ChunkSize:
          at = this.parseChunkSize(buf, at);
          break;
        case State.ChunkData:
          at = this.passBody(buf, at, State.ChunkDataEnd);
          break;
        case State.ChunkDataEnd:
          at = this.expectCrlf(buf, at);
          break;
        case State.Trailers:
          at = this.skipTrailers(buf, at);
          break;
        case State.Done:
          throw protocolError('data after the response');
      }
      if (at < 0 || this.halted) return; // incomplete (the rest is kept in `pending`), or aborted
    }
  }

  /** The connection ended: completes a close-delimited body, else the response was cut short. */
  finish(): void {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      this.events.onEnd();
    }
  }

  private keep(buf: Buffer, at: number): number {
    this.pending = buf.subarray(at);
    return -1;
  }

  private parseHead(buf: Buffer, at: number): number {
    const end = buf.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0) {
      if (buf.length - at > this.maxHeaderBytes) throw new UpstreamError('HEADER_OVERFLOW', 'upstream response headers too large');
      return this.keep(buf, at);
    }
    if (end - at > this.maxHeaderBytes) throw new UpstreamError('HEADER_OVERFLOW', 'upstream response headers too large');
    const { status, http10, headers } = parseResponseHead(buf.toString('latin1', at, end));
    if (status < 200 && status !== 101) return end + 4; // 100 Continue, 103 Early Hints: interim
    this.status = status;
    this.startBody(status, headers, http10);
    this.events.onHead(status, headers);
    if (this.state === State.Done) this.events.onEnd();
    return end + 4;
  }

  private startBody(status: number, headers: IncomingHttpHeaders, http10: boolean): void {
    const connection = headers.connection?.toLowerCase();
    this.keepAlive = http10 ? connection?.includes('keep-alive') === true : connection?.includes('close') !== true;
    const hint = headers['keep-alive'];
    if (typeof hint === 'string') this.keepAliveHintMs = keepAliveHintMs(hint);
    const framing = framingOf(status, headers, this.headRequest);
    if (framing === Framing.None) this.state = State.Done;
    else if (framing === Framing.Chunked) this.state = State.ChunkSize;
    else if (framing === Framing.UntilClose) {
      this.state = State.UntilClose;
      this.keepAlive = false;
    } else {
      const raw = headers['content-length'] ?? '';
      this.remaining = contentLength(raw);
      if (typeof raw !== 'string' || raw.length !== String(this.remaining).length) headers['content-length'] = String(this.remaining);
      this.state = this.remaining === 0 ? State.Done : State.Length;
    }
  }

  private passBody(buf: Buffer, at: number, next: State): number {
    const available = buf.length - at;
    const n = available < this.remaining ? available : this.remaining;
    this.remaining -= n;
    if (this.remaining === 0) this.state = next;
    this.events.onBody(at === 0 && n === buf.length ? buf : buf.subarray(at, at + n));
    if (this.state === State.Done) this.events.onEnd();
    return at + n;
  }

  private parseChunkSize(buf: Buffer, at: number): number {
    const eol = buf.indexOf(CRLF_BYTES, at);
    if (eol < 0) {
      if (buf.length - at > MAX_CHUNK_LINE) throw protocolError('chunk size line too long');
      return this.keep(buf, at);
    }
    const line = buf.toString('latin1', at, eol);
    const semi = line.indexOf(';');
    const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw protocolError('invalid chunk size');
    this.remaining = Number.parseInt(hex, 16);
    this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
    return eol + 2;
  }

  private expectCrlf(buf: Buffer, at: number): number {
    if (buf.length - at < 2) return this.keep(buf, at);
    if (buf.readUInt16LE(at) !== CRLF) throw protocolError('missing CRLF after chunk');
    this.state = State.ChunkSize;
    return at + 2;
  }

  /** Trailer fields are dropped (HTTP/1.1 downstreams rarely carry them); the empty line ends the body. */
  private skipTrailers(buf: Buffer, at: number): number {
    let pos = at;
    for (;;) {
      const eol = buf.indexOf(CRLF_BYTES, pos);
      if (eol < 0) {
        if (buf.length - at > this.maxHeaderBytes) throw new UpstreamError('HEADER_OVERFLOW', 'upstream trailers too large');
        return this.keep(buf, at);
      }
      if (eol === pos) {
        this.state = State.Done;
        this.events.onEnd();
        return eol + 2;
      }
      pos = eol + 2;
    }
  }
}

import { EventEmitter } from 'node:events';
import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/** What the connection tells a response, and learns from it when it is done. */
export interface ResponseOwner {
  readonly socket: Socket;
  /** The response has been written in full; `close` asks for the connection to end after it. */
  responseDone(res: H1Response, close: boolean): void;
}

const CHUNK_END = '\r\n';
const LAST_CHUNK = '0\r\n\r\n';

/** A field that would end the line (or the head) early is dropped, never written: no response splitting. */
function unsafe(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 10 || c === 0) return true;
  }
  return false;
}

/** The caller's header fields as lines, minus framing fields (ours to write), plus what they said. */
interface FieldLines {
  lines: string;
  hasLength: boolean;
  hasDate: boolean;
  close: boolean;
}

function fieldLines(headers: OutgoingHttpHeaders): FieldLines {
  const out: FieldLines = { lines: '', hasLength: false, hasDate: false, close: false };
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || unsafe(name)) continue;
    const lower = name.toLowerCase();
    if (lower === 'content-length') out.hasLength = true;
    else if (lower === 'date') out.hasDate = true;
    else if (lower === 'transfer-encoding') continue;
    else if (lower === 'connection') {
      if (String(value).toLowerCase().includes('close')) out.close = true;
      continue;
    }
    if (Array.isArray(value)) {
      for (const v of value) if (!unsafe(v)) out.lines += `${name}: ${v}\r\n`;
    } else if (typeof value === 'number' || !unsafe(value)) out.lines += `${name}: ${value}\r\n`;
  }
  return out;
}

/** One HTTP-date per second (RFC 9110 §5.6.7), like Envoy's `date` header. */
let dateSecond = -1;
let dateValue = '';
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(now).toUTCString();
  }
  return dateValue;
}

/**
 * The response side of one downstream HTTP/1.1 exchange: the part of ServerResponse the proxy uses
 * (writeHead, write with backpressure, end, headersSent, destroy, 'drain', and 'close' when the
 * connection goes before the response is complete). The head is written with the first body
 * bytes, and everything written in one tick leaves in one writev.
 * Framing: content-length when given, else chunked (HTTP/1.1) or close-delimited (HTTP/1.0); no
 * body for HEAD, 1xx, 204 and 304.
 */
export class H1Response extends EventEmitter {
  headersSent = false;
  writableEnded = false;
  private head = '';
  private noBody = false;
  private chunked = false;
  private closeAfter: boolean;
  private corked = false;

  constructor(
    private readonly owner: ResponseOwner,
    private readonly headRequest: boolean,
    private readonly http10: boolean,
    keepAlive: boolean,
  ) {
    super();
    this.closeAfter = !keepAlive;
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): this {
    if (this.headersSent) return this;
    this.headersSent = true;
    this.noBody = this.headRequest || status === 204 || status === 304 || status < 200;
    const fields = fieldLines(headers);
    if (fields.close) this.closeAfter = true;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n${fields.lines}`;
    if (!fields.hasDate) head += `date: ${httpDate()}\r\n`;
    if (!this.noBody && !fields.hasLength) {
      if (this.http10) this.closeAfter = true;
      else {
        this.chunked = true;
        head += 'transfer-encoding: chunked\r\n';
      }
    }
    // HTTP/1.0 clients assume the connection ends unless told otherwise.
    if (this.closeAfter) head += 'connection: close\r\n';
    else if (this.http10) head += 'connection: keep-alive\r\n';
    this.head = `${head}\r\n`;
    return this;
  }

  write(chunk: Buffer | string): boolean {
    if (this.writableEnded) return false;
    if (!this.headersSent) this.writeHead(200, {});
    const socket = this.owner.socket;
    this.cork(socket);
    if (this.head !== '') {
      socket.write(this.head, 'latin1');
      this.head = '';
    }
    if (this.noBody || chunk.length === 0) return true;
    if (!this.chunked) return socket.write(chunk);
    socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n`, 'latin1');
    socket.write(chunk);
    return socket.write(CHUNK_END, 'latin1');
  }

  end(chunk?: Buffer | string): this {
    if (this.writableEnded) return this;
    this.write(chunk ?? '');
    this.writableEnded = true;
    if (this.chunked) this.owner.socket.write(LAST_CHUNK, 'latin1');
    this.owner.responseDone(this, this.closeAfter);
    return this;
  }

  /** Like ServerResponse.destroy: the connection goes (the response cannot be completed). */
  destroy(): void {
    this.owner.socket.destroy();
  }

  /** Batch this tick's writes into one writev (as Node's ServerResponse does). */
  private cork(socket: Socket): void {
    if (this.corked) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }
}

/**
 * Node's own HTTP/1.1 parser (llhttp, the one behind `http.Server`), used directly: the same
 * strictness against malformed input and request smuggling, the same error codes
 * (`HPE_HEADER_OVERFLOW`, …), without IncomingMessage/ServerResponse around every request.
 * `_http_common` exposes it (Node 20); a test pins the surface used here.
 */

export interface ParseError extends Error {
  readonly code: string;
  readonly bytesParsed: number;
}

/** onHeadersComplete(versionMajor, versionMinor, headers (flat name/value list), method index, url, …, upgrade, shouldKeepAlive). */
export type OnHeadersComplete = (
  versionMajor: number,
  versionMinor: number,
  headers: string[] | undefined,
  method: number,
  url: string | undefined,
  statusCode: unknown,
  statusMessage: unknown,
  upgrade: boolean,
  shouldKeepAlive: boolean,
) => number;

export interface Llhttp {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number): void;
  execute(data: Buffer): number | ParseError;
  finish(): number | ParseError | undefined;
  close(): void;
  [callback: number]: unknown;
}

interface LlhttpModule {
  readonly HTTPParser: {
    new (): Llhttp;
    readonly REQUEST: number;
    readonly kOnHeaders: number;
    readonly kOnHeadersComplete: number;
    readonly kOnBody: number;
    readonly kOnMessageComplete: number;
  };
  readonly methods: readonly string[];
}

const common = require('_http_common') as LlhttpModule;

export const HTTPParser = common.HTTPParser;
/** Method names by llhttp's method index. */
export const METHODS = common.methods;

export interface RequestCallbacks {
  /** Header lines and URL bytes flushed before the head completes (long or fragmented heads). */
  onHeaders(headers: string[], url: string): void;
  onHeadersComplete: OnHeadersComplete;
  onBody(chunk: Buffer): void;
  onMessageComplete(): void;
}

/** A request parser bound to `callbacks`; `maxHeaderSize` bytes of head at most (else HPE_HEADER_OVERFLOW). */
export function requestParser(callbacks: RequestCallbacks, maxHeaderSize: number): Llhttp {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, maxHeaderSize, 0);
  parser[HTTPParser.kOnHeaders] = callbacks.onHeaders;
  parser[HTTPParser.kOnHeadersComplete] = callbacks.onHeadersComplete;
  parser[HTTPParser.kOnBody] = callbacks.onBody;
  parser[HTTPParser.kOnMessageComplete] = callbacks.onMessageComplete;
  return parser;
}

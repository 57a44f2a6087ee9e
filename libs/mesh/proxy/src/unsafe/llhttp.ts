/**
 * PRIVATE-API SEAM (docs/architecture.md, "Private-API seam"): Node's llhttp parser, used directly.
 *
 * Private API: `require('_http_common')`, an undocumented internal module of Node's http
 * implementation: `HTTPParser` (the llhttp binding behind `http.Server`: `initialize(type, resource,
 * maxHeaderSize, lenientFlags)`, `execute`, `finish`, `close`, callbacks in the numbered slots
 * `kOnHeaders`, `kOnHeadersComplete`, `kOnBody`, `kOnMessageComplete`) and `methods` (method names
 * by llhttp's method index). Only the proxy's own downstream HTTP/1.1 connection
 * (codec/h1/connection.ts) uses it: the same strictness against malformed input and request
 * smuggling and the same error codes (`HPE_HEADER_OVERFLOW`, …) as `http.Server`, without an
 * IncomingMessage/ServerResponse pair per request.
 *
 * Benchmark that justifies it (commit b425f5a, `npm run bench:proxy`, CPU per hop against
 * http.Server): gateway 83–98 → 76 µs @1000 rps and 58–64 → 50 µs @2000 rps; sidecar 95–101 → 73
 * and 70–73 → 51 µs.
 *
 * Tests that pin it: `unsafe/llhttp.test.ts` (the module, its fields and the callback shape on real
 * parses: a Node upgrade that changes them fails CI there) and `codec/h1/connection.test.ts`.
 *
 * Fallback: `detectLlhttp()` loads and probes it once (feature detection, never a crash). When it is
 * missing or not of the shape below, or when the proxy runs with `privateApis: false`
 * (`--private-apis off`, `TRELLIS_PRIVATE_APIS=off`), HTTP/1.1 connections are handed to a public
 * `node:http` Server instead (`codec/h1/node-http.ts`), in front of the same request pipeline;
 * `codec/h1/http1.ts` makes the choice, and the proxy logs it at start-up.
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

/** What is used of `_http_common`. */
export interface LlhttpApi {
  readonly HTTPParser: {
    new (): Llhttp;
    readonly REQUEST: number;
    readonly kOnHeaders: number;
    readonly kOnHeadersComplete: number;
    readonly kOnBody: number;
    readonly kOnMessageComplete: number;
  };
  /** Method names by llhttp's method index. */
  readonly methods: readonly string[];
}

/** The result of feature detection: the API, or why it cannot be used. */
export type Detection<T> = { readonly ok: true; readonly api: T } | { readonly ok: false; readonly reason: string };

export interface RequestCallbacks {
  /** Header lines and URL bytes flushed before the head completes (long or fragmented heads). */
  onHeaders(headers: string[], url: string): void;
  onHeadersComplete: OnHeadersComplete;
  onBody(chunk: Buffer): void;
  onMessageComplete(): void;
}

/** A request parser bound to `callbacks`; `maxHeaderSize` bytes of head at most (else HPE_HEADER_OVERFLOW). */
export function requestParser(api: LlhttpApi, callbacks: RequestCallbacks, maxHeaderSize: number): Llhttp {
  const { HTTPParser } = api;
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, maxHeaderSize, 0);
  parser[HTTPParser.kOnHeaders] = callbacks.onHeaders;
  parser[HTTPParser.kOnHeadersComplete] = callbacks.onHeadersComplete;
  parser[HTTPParser.kOnBody] = callbacks.onBody;
  parser[HTTPParser.kOnMessageComplete] = callbacks.onMessageComplete;
  return parser;
}

const SLOTS = ['REQUEST', 'kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete'] as const;

function shapeProblem(mod: unknown): string | undefined {
  if (mod === null || typeof mod !== 'object') return 'not a module object';
  const m = mod as Record<string, unknown>;
  const parser = m['HTTPParser'] as Record<string, unknown> | undefined;
  if (typeof parser !== 'function') return 'no HTTPParser constructor';
  for (const slot of SLOTS) if (!Number.isInteger(parser[slot])) return `HTTPParser.${slot} is not an integer`;
  const proto = (parser as unknown as { prototype: Record<string, unknown> }).prototype;
  for (const fn of ['initialize', 'execute', 'finish', 'close']) if (typeof proto[fn] !== 'function') return `HTTPParser.prototype.${fn} is not a function`;
  const methods = m['methods'];
  if (!Array.isArray(methods) || !methods.includes('GET') || !methods.includes('POST')) return 'methods is not a list of method names';
  return undefined;
}

/** Parses two real heads (one with a body, one too large) and checks every callback and error the connection relies on. */
function behaviourProblem(api: LlhttpApi): string | undefined {
  let head: unknown[] | undefined;
  const body: string[] = [];
  let complete = 0;
  const parser = requestParser(
    api,
    {
      onHeaders: () => undefined,
      onHeadersComplete: (...args) => {
        head = args;
        return 0;
      },
      onBody: (chunk) => void body.push(Buffer.from(chunk).toString('latin1')),
      onMessageComplete: () => void complete++,
    },
    64,
  );
  try {
    const ret = parser.execute(Buffer.from('POST /probe HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok', 'latin1'));
    if (typeof ret !== 'number') return `execute failed on a valid request (${String((ret as Partial<ParseError>).code)})`;
    if (head === undefined) return 'onHeadersComplete was not called';
    const [major, minor, headers, method, url, , , upgrade, keepAlive] = head;
    if (major !== 1 || minor !== 1) return 'onHeadersComplete: unexpected version arguments';
    if (!Array.isArray(headers) || headers.join('|') !== 'Host|x|Content-Length|2') return 'onHeadersComplete: headers are not a flat name/value list';
    if (typeof method !== 'number' || api.methods[method] !== 'POST') return 'onHeadersComplete: method is not an index into methods';
    if (url !== '/probe') return 'onHeadersComplete: unexpected url argument';
    if (upgrade !== false || keepAlive !== true) return 'onHeadersComplete: unexpected upgrade/keep-alive arguments';
    if (body.join('') !== 'ok') return 'onBody did not receive the body as a Buffer';
    if (complete !== 1) return 'onMessageComplete was not called once';
    const overflow = parser.execute(Buffer.from(`GET / HTTP/1.1\r\nx: ${'a'.repeat(128)}\r\n\r\n`, 'latin1'));
    if (typeof overflow === 'number' || overflow.code !== 'HPE_HEADER_OVERFLOW') return 'maxHeaderSize is not enforced with HPE_HEADER_OVERFLOW';
    return undefined;
  } finally {
    parser.close();
  }
}

/** Feature detection over `load()` (the real one requires `_http_common`); exported for tests. */
export function probeLlhttp(load: () => unknown): Detection<LlhttpApi> {
  try {
    const mod = load();
    const shape = shapeProblem(mod);
    if (shape !== undefined) return { ok: false, reason: `_http_common: ${shape}` };
    const api = mod as LlhttpApi;
    const behaviour = behaviourProblem(api);
    if (behaviour !== undefined) return { ok: false, reason: `_http_common: ${behaviour}` };
    return { ok: true, api };
  } catch (err) {
    return { ok: false, reason: `_http_common: ${err instanceof Error ? err.message : String(err)}` };
  }
}

let detected: Detection<LlhttpApi> | undefined;

/** Node's llhttp binding if this Node has it in the shape used here; probed once per process. */
export function detectLlhttp(): Detection<LlhttpApi> {
  detected ??= probeLlhttp(() => require('_http_common'));
  return detected;
}

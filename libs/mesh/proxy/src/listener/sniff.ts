import { readClientHello } from './tls-client-hello';

/*
 * Protocol sniffing as Envoy's listener filters do it, on a connection's first bytes:
 *   tls_inspector   a TLS ClientHello → transport_protocol `tls`, requested server name (SNI), ALPN
 *   http_inspector  a plaintext HTTP/1.x request line or the HTTP/2 preface → application_protocols
 *                   `http/1.1`, `http/1.0` or `h2c`
 * Anything else is `opaque`: transport_protocol `raw_buffer`, no application protocol. `inspect` is
 * pure: it reads no byte past its bound and never throws, whatever the bytes; the socket side (read
 * without consuming, the listener_filters_timeout) is sniff-socket.ts.
 *
 * Client-first only. A server-first protocol (MySQL, SMTP, …) sends nothing until the server
 * greets, so sniffing waits for the timeout (Envoy's listener_filters_timeout, 15 s by default;
 * Istio sets continue_on_listener_filters_timeout, so the connection then goes on as raw_buffer).
 * This is why Istio does not sniff ports whose protocol is declared (`tcp-…`/`mysql-…` port names or
 * appProtocol): server-first services must declare their ports as TCP.
 *
 * Where this differs from Envoy, for the filter-chain matching that will use it:
 * - A ClientHello over the bound: Envoy's tls_inspector counts client_hello_too_large and closes the
 *   connection; `inspect` says `tls` with no SNI or ALPN (`incomplete: 'too-large'`) and leaves the
 *   decision to its caller.
 * - A malformed ClientHello: `tls` with what was read before the fault (`incomplete: 'malformed'`).
 *   BoringSSL would fail the handshake and Envoy count tls_not_found, so `filterChainProtocols`
 *   maps it to raw_buffer as Envoy would.
 */

export type SniffResult =
  /** Not enough bytes to decide; never returned once the bound is reached. */
  | { kind: 'need-more' }
  | { kind: 'tls'; sni?: string; alpn: string[]; incomplete?: 'too-large' | 'malformed' }
  | { kind: 'http1'; method: string; protocol: 'http/1.1' | 'http/1.0' }
  | { kind: 'h2c' }
  | { kind: 'opaque' };

export interface SniffLimits {
  /** Bytes of TLS records a ClientHello may take (Envoy tls_inspector's max_client_hello_size, 64 KiB). */
  maxClientHelloBytes: number;
  /** Bytes read looking for the end of an HTTP/1 request line (Envoy http_inspector's MAX_INSPECT_SIZE). */
  maxRequestLineBytes: number;
}

export const DEFAULT_SNIFF_LIMITS: Readonly<SniffLimits> = { maxClientHelloBytes: 64 * 1024, maxRequestLineBytes: 8 * 1024 };

/** What Envoy's inspectors set on the connection, by the names filter_chain_match uses. */
export interface FilterChainProtocols {
  transportProtocol: 'tls' | 'raw_buffer';
  applicationProtocols: string[];
  serverName?: string;
}

const NEED_MORE: SniffResult = { kind: 'need-more' };
const OPAQUE: SniffResult = { kind: 'opaque' };
const TLS_HANDSHAKE_RECORD = 22;
/** The HTTP/2 client connection preface (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** The request methods Envoy's http_inspector accepts (http_parser's method table). */
const HTTP_METHODS: ReadonlySet<string> = new Set(
  ('DELETE GET HEAD POST PUT CONNECT OPTIONS TRACE COPY LOCK MKCOL MOVE PROPFIND PROPPATCH SEARCH UNLOCK BIND REBIND ' +
    'UNBIND ACL REPORT MKACTIVITY CHECKOUT MERGE M-SEARCH NOTIFY SUBSCRIBE UNSUBSCRIBE PATCH PURGE MKCALENDAR LINK ' +
    'UNLINK SOURCE').split(' '),
);
const LONGEST_METHOD = Math.max(...[...HTTP_METHODS].map((m) => m.length));
const VERSIONS = [' HTTP/1.0', ' HTTP/1.1'];

/** Classifies a connection's first bytes; looks at no byte past the relevant bound of `limits`. */
export function inspect(bytes: Buffer, limits: Partial<SniffLimits> = {}): SniffResult {
  const { maxClientHelloBytes, maxRequestLineBytes } = { ...DEFAULT_SNIFF_LIMITS, ...limits };
  if (bytes.length === 0) return NEED_MORE;
  if (bytes[0] === TLS_HANDSHAKE_RECORD) return inspectTls(bytes, maxClientHelloBytes);
  return inspectHttp(bytes.subarray(0, Math.max(0, maxRequestLineBytes)), maxRequestLineBytes);
}

function inspectTls(bytes: Buffer, maxBytes: number): SniffResult {
  const hello = readClientHello(bytes, maxBytes);
  switch (hello.state) {
    case 'need-more':
      return NEED_MORE;
    case 'not-tls':
      return OPAQUE;
    case 'too-large':
      return { kind: 'tls', alpn: [], incomplete: 'too-large' };
    case 'malformed':
      return { kind: 'tls', ...withSni(hello.sni), alpn: hello.alpn, incomplete: 'malformed' };
    case 'complete':
      return { kind: 'tls', ...withSni(hello.sni), alpn: hello.alpn };
  }
}

function withSni(sni: string | undefined): { sni?: string } {
  return sni === undefined ? {} : { sni };
}

/** `view` is already cut at `maxBytes`: reaching its end undecided means over the bound. */
function inspectHttp(view: Buffer, maxBytes: number): SniffResult {
  const undecided = view.length >= maxBytes ? OPAQUE : NEED_MORE;
  const prefaceBytes = Math.min(view.length, H2_PREFACE.length);
  if (view.compare(H2_PREFACE, 0, prefaceBytes, 0, prefaceBytes) === 0) {
    return prefaceBytes === H2_PREFACE.length ? { kind: 'h2c' } : undecided;
  }
  const sp = view.subarray(0, LONGEST_METHOD + 1).indexOf(0x20);
  if (sp < 0) {
    const start = view.toString('latin1', 0, LONGEST_METHOD + 1);
    return [...HTTP_METHODS].some((m) => m.startsWith(start)) ? undecided : OPAQUE;
  }
  const method = view.toString('latin1', 0, sp);
  if (!HTTP_METHODS.has(method)) return OPAQUE;
  const cr = view.indexOf(0x0d, sp + 1);
  const lf = view.indexOf(0x0a, sp + 1);
  const eol = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
  const rest = view.toString('latin1', sp + 1, eol < 0 ? view.length : eol);
  const version = requestLineRest(rest, eol >= 0);
  if (version === 'partial') return undecided;
  if (version === 'bad') return OPAQUE;
  return { kind: 'http1', method, protocol: version === '1' ? 'http/1.1' : 'http/1.0' };
}

/**
 * The request line after `METHOD SP`: a target (no CTL, no SP), SP, HTTP/1.0 or HTTP/1.1. `complete`:
 * the line end was seen; otherwise `rest` is what arrived so far and may still become a request line.
 */
function requestLineRest(rest: string, complete: boolean): '0' | '1' | 'partial' | 'bad' {
  const sp = rest.indexOf(' ');
  const target = sp < 0 ? rest : rest.slice(0, sp);
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c < 0x21 || c === 0x7f) return 'bad';
  }
  if (!complete) return sp < 0 || (sp > 0 && VERSIONS.some((v) => v.startsWith(rest.slice(sp)))) ? 'partial' : 'bad';
  const version = sp > 0 ? VERSIONS.indexOf(rest.slice(sp)) : -1;
  return version < 0 ? 'bad' : version === 1 ? '1' : '0';
}

/** The connection properties Envoy's tls_inspector and http_inspector would set for this result. */
export function filterChainProtocols(result: SniffResult): FilterChainProtocols {
  switch (result.kind) {
    case 'tls': {
      if (result.incomplete === 'malformed') return { transportProtocol: 'raw_buffer', applicationProtocols: [] };
      const protocols: FilterChainProtocols = { transportProtocol: 'tls', applicationProtocols: [...result.alpn] };
      if (result.sni !== undefined) protocols.serverName = result.sni;
      return protocols;
    }
    case 'http1':
      return { transportProtocol: 'raw_buffer', applicationProtocols: [result.protocol] };
    case 'h2c':
      return { transportProtocol: 'raw_buffer', applicationProtocols: ['h2c'] };
    case 'need-more':
    case 'opaque':
      return { transportProtocol: 'raw_buffer', applicationProtocols: [] };
  }
}

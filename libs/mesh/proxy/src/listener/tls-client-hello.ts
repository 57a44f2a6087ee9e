/*
 * A TLS ClientHello read the way Envoy's tls_inspector uses it: only the server name (SNI) and the
 * ALPN list, for filter-chain matching. Pure and bounded: it looks at no byte at or past `maxBytes`,
 * never throws, and never allocates more than the ClientHello it was given.
 *
 * Records (RFC 8446 §5.1): a ClientHello may be fragmented over several handshake records (a hello
 * over 16 KiB must be; some stacks split smaller ones). The fragments of consecutive records are
 * reassembled until the handshake message is whole, within `maxBytes` of record bytes in all.
 */

const CONTENT_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const RECORD_HEADER = 5;
const HANDSHAKE_HEADER = 4;
/** TLSPlaintext.length MUST NOT exceed 2^14 (RFC 8446 §5.1). */
const MAX_RECORD_PAYLOAD = 16_384;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
const NAME_TYPE_HOST_NAME = 0;
const MAX_HOST_NAME = 255;

/** What the first bytes say, as far as TLS goes. */
export type ClientHelloParse =
  | { state: 'need-more' }
  /** The first record header is not a TLS handshake record. */
  | { state: 'not-tls' }
  /** A TLS handshake, but the ClientHello (records or message length) claims more than `maxBytes`. */
  | { state: 'too-large' }
  /** A TLS handshake record whose ClientHello does not parse: what was read before the fault. */
  | { state: 'malformed'; sni?: string; alpn: string[] }
  | { state: 'complete'; sni?: string; alpn: string[]; records: number };

/** A bounds-checked cursor: every read returns undefined rather than reading past `end`. */
class Reader {
  constructor(
    private readonly buf: Buffer,
    private pos: number,
    private readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  uint(width: 1 | 2 | 3): number | undefined {
    if (this.remaining < width) return undefined;
    const v = this.buf.readUIntBE(this.pos, width);
    this.pos += width;
    return v;
  }

  skip(n: number): boolean {
    if (this.remaining < n) return false;
    this.pos += n;
    return true;
  }

  /** A length-prefixed vector (`opaque x<0..2^(8·width)-1>`), as its own reader. */
  vector(width: 1 | 2): Reader | undefined {
    const len = this.uint(width);
    if (len === undefined || len > this.remaining) return undefined;
    const inner = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return inner;
  }

  text(): string {
    return this.buf.toString('latin1', this.pos, this.end);
  }
}

/** True while the bytes at `pos` can still begin a TLS handshake record header (type, version). */
function headerPrefixOk(bytes: Buffer, pos: number): boolean {
  const n = bytes.length - pos;
  if (n >= 1 && bytes[pos] !== CONTENT_HANDSHAKE) return false;
  if (n >= 2 && bytes[pos + 1] !== 3) return false;
  return n < 3 || (bytes[pos + 2] ?? 0) <= 4; // SSL 3.0 … TLS 1.3 record versions (0x0300–0x0304)
}

type Reassembled = Exclude<ClientHelloParse, { state: 'complete' }> | { state: 'message'; body: Buffer; records: number };

/** Waits for byte `required` (exclusive), unless the bound says it will never come. */
function short(required: number, maxBytes: number): Reassembled {
  return required > maxBytes ? { state: 'too-large' } : { state: 'need-more' };
}

/** Concatenates handshake record fragments until the ClientHello message is whole. */
function reassemble(bytes: Buffer, maxBytes: number): Reassembled {
  const fragments: Buffer[] = [];
  let have = 0;
  let messageEnd = -1; // handshake header + body, once the header is known
  for (let pos = 0; ; ) {
    if (!headerPrefixOk(bytes, pos)) return pos === 0 ? { state: 'not-tls' } : { state: 'malformed', alpn: [] };
    if (bytes.length - pos < RECORD_HEADER) return short(pos + RECORD_HEADER, maxBytes);
    const len = bytes.readUInt16BE(pos + 3);
    if (len === 0 || len > MAX_RECORD_PAYLOAD) return { state: 'malformed', alpn: [] };
    const recordEnd = pos + RECORD_HEADER + len;
    if (recordEnd > bytes.length) return short(recordEnd, maxBytes);
    fragments.push(bytes.subarray(pos + RECORD_HEADER, recordEnd));
    have += len;
    pos = recordEnd;
    if (messageEnd < 0 && have >= HANDSHAKE_HEADER) {
      // Joined once here and once at the end: tiny records cost no quadratic copying.
      const head = Buffer.concat(fragments, have);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return { state: 'malformed', alpn: [] };
      messageEnd = HANDSHAKE_HEADER + head.readUIntBE(1, 3);
      // Every fragment byte costs at least one record byte: a message this long cannot fit the bound.
      if (messageEnd > maxBytes) return { state: 'too-large' };
    }
    if (messageEnd >= 0 && have >= messageEnd) {
      const body = Buffer.concat(fragments, have).subarray(HANDSHAKE_HEADER, messageEnd);
      return { state: 'message', body, records: fragments.length };
    }
  }
}

interface Found {
  sni?: string;
  alpn: string[];
}

/** server_name (RFC 6066 §3): the first host_name entry; empty → none. Returns false when malformed. */
function readServerName(data: Reader, found: Found): boolean {
  const list = data.vector(2);
  if (!list || data.remaining !== 0) return false;
  while (list.remaining > 0) {
    const type = list.uint(1);
    const name = list.vector(2);
    if (type === undefined || !name) return false;
    if (type !== NAME_TYPE_HOST_NAME || found.sni !== undefined) continue;
    const host = name.text();
    // A host name is printable ASCII (no NUL, no spaces), at most 255 bytes, as BoringSSL insists.
    if (host.length > MAX_HOST_NAME || !/^[\x21-\x7e]*$/.test(host)) return false;
    if (host !== '') found.sni = host;
  }
  return true;
}

/** application_layer_protocol_negotiation (RFC 7301 §3.1): non-empty names, in the client's order. */
function readAlpn(data: Reader, found: Found): boolean {
  const list = data.vector(2);
  if (!list || data.remaining !== 0 || list.remaining === 0) return false;
  while (list.remaining > 0) {
    const name = list.vector(1);
    if (!name || name.remaining === 0) return false;
    found.alpn.push(name.text());
  }
  return true;
}

/** Walks the extensions; false at the first malformed one (what came before is kept in `found`). */
function readExtensions(exts: Reader, found: Found): boolean {
  const seen = new Set<number>();
  while (exts.remaining > 0) {
    const type = exts.uint(2);
    const data = exts.vector(2);
    if (type === undefined || !data || seen.has(type)) return false;
    seen.add(type);
    if (type === EXT_SERVER_NAME && !readServerName(data, found)) return false;
    if (type === EXT_ALPN && !readAlpn(data, found)) return false;
  }
  return true;
}

/** The ClientHello body (RFC 8446 §4.1.2): version, random, session id, suites, compression, extensions. */
function readHelloBody(body: Buffer, found: Found): boolean {
  const r = new Reader(body, 0, body.length);
  if (!r.skip(2 + 32)) return false; // legacy_version, random
  const sessionId = r.vector(1);
  if (!sessionId || sessionId.remaining > 32) return false;
  const suites = r.vector(2);
  if (!suites || suites.remaining < 2 || suites.remaining % 2 !== 0) return false;
  const compression = r.vector(1);
  if (!compression || compression.remaining < 1) return false;
  if (r.remaining === 0) return true; // a hello without extensions (SSL 3.0 style)
  const exts = r.vector(2);
  if (!exts || r.remaining !== 0) return false;
  return readExtensions(exts, found);
}

/** Reads the ClientHello at the start of `bytes`, looking at no byte at or past `maxBytes`. */
export function readClientHello(bytes: Buffer, maxBytes: number): ClientHelloParse {
  const msg = reassemble(bytes.subarray(0, Math.max(0, maxBytes)), maxBytes);
  if (msg.state !== 'message') return msg;
  const found: Found = { alpn: [] };
  if (!readHelloBody(msg.body, found)) return { state: 'malformed', ...found };
  return { state: 'complete', ...found, records: msg.records };
}

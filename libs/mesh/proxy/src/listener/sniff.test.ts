import { filterChainProtocols, inspect, type SniffResult } from './sniff';
import { buildClientHello, captureClientHello, splitRecords } from './sniff.fixtures';

/** Every proper prefix answers need-more or `final`, never another answer; the whole answers `final`. */
function expectPrefixesSafe(bytes: Buffer, final: SniffResult): void {
  for (let n = 0; n < bytes.length; n++) {
    const got = inspect(bytes.subarray(0, n));
    if (got.kind !== 'need-more') expect({ n, got }).toEqual({ n, got: final });
  }
  expect(inspect(bytes)).toEqual(final);
}

describe('inspect: TLS ClientHello (tls_inspector)', () => {
  let withSni: Buffer;
  let bare: Buffer;
  beforeAll(async () => {
    withSni = await captureClientHello({ servername: 'reviews.default.svc.cluster.local', ALPNProtocols: ['h2', 'http/1.1'] });
    bare = await captureClientHello();
  });

  it('reads SNI and ALPN from a real ClientHello, and maps them to filter_chain_match names', () => {
    const result = inspect(withSni);
    expect(result).toEqual({ kind: 'tls', sni: 'reviews.default.svc.cluster.local', alpn: ['h2', 'http/1.1'] });
    expect(filterChainProtocols(result)).toEqual({
      transportProtocol: 'tls',
      applicationProtocols: ['h2', 'http/1.1'],
      serverName: 'reviews.default.svc.cluster.local',
    });
  });

  it('a ClientHello without server_name or ALPN has no sni and an empty alpn', () => {
    const result = inspect(bare);
    expect(result).toEqual({ kind: 'tls', alpn: [] });
    expect('sni' in result).toBe(false);
    expect(filterChainProtocols(result)).toEqual({ transportProtocol: 'tls', applicationProtocols: [] });
  });

  it('an empty host_name is no SNI; a hello without extensions is TLS', () => {
    expect(inspect(buildClientHello({ sni: '', alpn: ['h2'] }))).toEqual({ kind: 'tls', alpn: ['h2'] });
    expect(inspect(buildClientHello({ extensions: false }))).toEqual({ kind: 'tls', alpn: [] });
    expect(inspect(buildClientHello({ sni: 'a.example', alpn: ['http/1.1'] }))).toEqual({ kind: 'tls', sni: 'a.example', alpn: ['http/1.1'] });
  });

  it('every prefix of a ClientHello is need-more until the whole record is there', () => {
    expectPrefixesSafe(withSni, inspect(withSni));
    for (let n = 0; n < withSni.length; n++) expect(inspect(withSni.subarray(0, n))).toEqual({ kind: 'need-more' });
  });

  it('reassembles a ClientHello fragmented over several records', () => {
    const fragment = withSni.readUInt16BE(3);
    const expected = inspect(withSni);
    for (const cuts of [[1], [3], [4], [40], [fragment - 1], [2, 50, 51, 200]]) {
      const multi = splitRecords(withSni, cuts);
      expect(inspect(multi)).toEqual(expected);
      expectPrefixesSafe(multi, expected);
    }
    const oneBytePerRecord = splitRecords(withSni, Array.from({ length: fragment - 1 }, (_, i) => i + 1));
    expect(inspect(oneBytePerRecord)).toEqual(expected);
  });

  it('a ClientHello over the bound is tls without SNI, decided as soon as a length claims too much', () => {
    const tooLarge = { kind: 'tls', alpn: [], incomplete: 'too-large' };
    expect(inspect(withSni, { maxClientHelloBytes: 100 })).toEqual(tooLarge);
    expect(inspect(withSni.subarray(0, 5), { maxClientHelloBytes: 100 })).toEqual(tooLarge); // the record header says so
    const fragmented = splitRecords(withSni, [10]);
    expect(inspect(fragmented.subarray(0, 5 + 10), { maxClientHelloBytes: 100 })).toEqual(tooLarge); // the handshake header says so
  });

  it('malformed hellos are tls with what was read, and raw_buffer for filter chains (Envoy: tls_not_found)', () => {
    const badAlpn = buildClientHello({ sni: 'ok.example', alpn: ['h2', ''] });
    const result = inspect(badAlpn);
    expect(result).toEqual({ kind: 'tls', sni: 'ok.example', alpn: ['h2'], incomplete: 'malformed' });
    expect(filterChainProtocols(result)).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
    expect(inspect(buildClientHello({ sni: 'nul\0.example' }))).toEqual({ kind: 'tls', alpn: [], incomplete: 'malformed' });
    const notHello = Buffer.from(withSni);
    notHello[5] = 2; // ServerHello
    expect(inspect(notHello)).toEqual({ kind: 'tls', alpn: [], incomplete: 'malformed' });
    const hugeRecord = Buffer.from(withSni);
    hugeRecord.writeUInt16BE(0xffff, 3);
    expect(inspect(hugeRecord)).toEqual({ kind: 'tls', alpn: [], incomplete: 'malformed' });
  });

  it('a first byte of 22 without a TLS record header is opaque', () => {
    expect(inspect(Buffer.from([22, 3]))).toEqual({ kind: 'need-more' });
    expect(inspect(Buffer.from([22, 4]))).toEqual({ kind: 'opaque' });
    expect(inspect(Buffer.from([22, 3, 9, 0, 10]))).toEqual({ kind: 'opaque' });
  });
});

describe('inspect: plaintext HTTP (http_inspector)', () => {
  it.each([
    ['GET /productpage HTTP/1.1\r\nHost: bookinfo\r\n\r\n', 'GET', 'http/1.1'],
    ['POST /v1/reviews?x=1 HTTP/1.0\r\n\r\n', 'POST', 'http/1.0'],
    ['OPTIONS * HTTP/1.1\r\n', 'OPTIONS', 'http/1.1'],
    ['CONNECT reviews:9080 HTTP/1.1\r\n', 'CONNECT', 'http/1.1'],
    ['M-SEARCH * HTTP/1.1\n', 'M-SEARCH', 'http/1.1'],
  ] as const)('%j → %s %s, at every byte boundary', (text, method, protocol) => {
    const final = { kind: 'http1', method, protocol } as const;
    expectPrefixesSafe(Buffer.from(text, 'latin1'), final);
    expect(filterChainProtocols(final)).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [protocol] });
  });

  it('decides at the end of the request line, not before', () => {
    expect(inspect(Buffer.from('GET / HTTP/1.1'))).toEqual({ kind: 'need-more' });
    expect(inspect(Buffer.from('GET / HTTP/1.1\r'))).toEqual({ kind: 'http1', method: 'GET', protocol: 'http/1.1' });
  });

  it('the h2c preface, at every byte boundary', () => {
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04\0\0\0\0\0', 'latin1');
    expectPrefixesSafe(preface, { kind: 'h2c' });
    expect(filterChainProtocols({ kind: 'h2c' })).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: ['h2c'] });
  });

  it.each([
    ['Redis RESP', '*1\r\n$4\r\nPING\r\n'],
    ['an unknown method', 'BREW /pot HTTP/1.1\r\n'],
    ['a lower-case method', 'get / HTTP/1.1\r\n'],
    ['HTTP/2.0 in a request line', 'GET / HTTP/2.0\r\n'],
    ['HTTP/0.9 (no version)', 'GET /\r\n'],
    ['two spaces', 'GET  / HTTP/1.1\r\n'],
    ['a control byte in the target', 'GET /\x01 HTTP/1.1\r\n'],
    ['a PostgreSQL startup message', '\0\0\0\x08\x04\xd2\x16\x2f'],
  ])('%s is opaque, and no prefix says otherwise', (_name, text) => {
    expectPrefixesSafe(Buffer.from(text, 'latin1'), { kind: 'opaque' });
    expect(filterChainProtocols({ kind: 'opaque' })).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
  });

  it('a request line longer than the bound is opaque', () => {
    const long = Buffer.from(`GET /${'a'.repeat(9000)} HTTP/1.1\r\n`);
    expect(inspect(long)).toEqual({ kind: 'opaque' });
    expect(inspect(long.subarray(0, 8191))).toEqual({ kind: 'need-more' });
    expect(inspect(long.subarray(0, 8192))).toEqual({ kind: 'opaque' });
    expect(inspect(long, { maxRequestLineBytes: 20_000 })).toEqual({ kind: 'http1', method: 'GET', protocol: 'http/1.1' });
    expect(inspect(Buffer.from('GET / HTTP/1.1\r\n'), { maxRequestLineBytes: 10 })).toEqual({ kind: 'opaque' });
  });

  it('no bytes yet is need-more', () => {
    expect(inspect(Buffer.alloc(0))).toEqual({ kind: 'need-more' });
    expect(filterChainProtocols({ kind: 'need-more' })).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
  });
});
